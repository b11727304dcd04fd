//! Routing on JWT claims (`@request.auth.claims.*` headers) at gateway pods
//! that no RequestAuthentication applies to (IST0149).

use crate::model::StringMap;
use std::collections::HashMap;

use super::super::{Analyzer, Report};
use super::{full_name, namespace_of, virtual_services};
use crate::loader::push_key;
use crate::mesh::gateway;
use crate::mesh::selector::selects;
use crate::model::istio::VirtualServiceSpec;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static JWT_CLAIM_ROUTE: Rule = Rule {
    code: "IST0149",
    name: "jwt-claim-based-routing-without-request-authn",
    level: Level::Error,
    summary: "A gateway VirtualService routes on JWT claims, but no RequestAuthentication applies to the gateway's pods.",
    kinds: &["VirtualService", "Gateway", "RequestAuthentication", "Pod"],
    explanation: "A VirtualService can match requests on the claims of their JWT with the \
        pseudo-headers `@request.auth.claims.<claim>` (or `@request.auth.claims[<claim>]`). The \
        claims only exist once a RequestAuthentication has validated the token at the proxy: \
        without one selecting the gateway's pods (in their namespace, or in `istio-system` for \
        all), such a match never succeeds. Apply a RequestAuthentication to the gateway's pods.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts: [api.example.com]\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: api\nspec:\n  hosts: [api.example.com]\n  gateways: [edge]\n  http:\n  - match:\n    - headers:\n        '@request.auth.claims.group':\n          exact: admin\n    directResponse:\n      status: 403\n",
        fires_at: &["spec.http[0].match[0].headers[\"@request.auth.claims.group\"]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "virtualservice.JWTClaimRouteAnalyzer",
    rules: &[&JWT_CLAIM_ROUTE],
    run,
};

/// The pseudo-header prefix of JWT claims.
const CLAIM_HEADER: &str = "@request.auth.claims";
/// RequestAuthentications of this namespace apply to every namespace.
const ISTIO_NAMESPACE: &str = "istio-system";

/// Whether a header name routes on a JWT claim: the prefix (in any case),
/// then `.claim[.nested]` or `[claim][nested]`.
fn is_claim_header(name: &str) -> bool {
    let Some(rest) = name
        .get(..CLAIM_HEADER.len())
        .filter(|p| p.eq_ignore_ascii_case(CLAIM_HEADER))
        .map(|_| &name[CLAIM_HEADER.len()..])
    else {
        return false;
    };
    (rest.starts_with('.') && rest.len() > 1)
        || (rest.starts_with('[') && rest.ends_with(']') && rest.len() > 2)
}

/// The first claim header a route matches on (or requires absent), with
/// its field path.
fn claim_header(spec: &VirtualServiceSpec) -> Option<(&str, String)> {
    for (i, route) in spec.http.iter().enumerate() {
        for (j, matching) in route.matches.iter().enumerate() {
            let fields = [
                ("headers", &matching.headers),
                ("withoutHeaders", &matching.without_headers),
            ];
            for (field, headers) in fields {
                if let Some(name) = headers.keys().find(|k| is_claim_header(k)) {
                    let mut path = format!("spec.http[{i}].match[{j}].{field}");
                    push_key(&mut path, name);
                    return Some((name, path));
                }
            }
        }
    }
    None
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let mut authn: HashMap<&str, Vec<&StringMap>> = HashMap::new();
    let everything = StringMap::new();
    for (object, spec) in snapshot.request_authentications() {
        let selector = spec
            .selector
            .as_ref()
            .map_or(&everything, |s| &s.match_labels);
        authn
            .entry(namespace_of(object))
            .or_default()
            .push(selector);
    }
    let gateways: HashMap<(&str, &str), _> = snapshot
        .gateways()
        .map(|(object, spec)| ((namespace_of(object), object.name.as_str()), spec))
        .collect();

    for (object, spec) in virtual_services(snapshot) {
        let Some((header, path)) = claim_header(spec) else {
            continue;
        };
        let namespace = namespace_of(object);
        for reference in &spec.gateways {
            let Some((gw_namespace, gw_name)) = gateway::resolve(reference, namespace).named()
            else {
                continue;
            };
            // A missing Gateway is the gateway analyzer's finding.
            let Some(gateway) = gateways.get(&(gw_namespace, gw_name)) else {
                continue;
            };
            for workload in snapshot.workloads_selected(None, &gateway.selector) {
                let pod = snapshot.workload_object(workload);
                if pod.kind != "Pod" {
                    continue;
                }
                let applies = [ISTIO_NAMESPACE, workload.namespace.as_str()]
                    .iter()
                    .flat_map(|ns| authn.get(ns).into_iter().flatten())
                    .any(|selector| selects(selector, &workload.labels));
                if applies {
                    continue;
                }
                report.report_with_help(
                    &JWT_CLAIM_ROUTE,
                    object,
                    &path,
                    format!(
                        "routing on JWT claim header {header:?} needs a RequestAuthentication for pod {} of gateway {gw_namespace}/{gw_name}, and none applies to it",
                        full_name(pod)
                    ),
                    "apply a RequestAuthentication to the gateway's pods (in their namespace, or in istio-system)",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    const AUTHN: &str = "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: jwt\n  namespace: istio-system\nspec:\n  selector:\n    matchLabels:\n      istio: ingressgateway\n  jwtRules:\n  - issuer: https://issuer.example.com\n    jwksUri: https://issuer.example.com/jwks\n---\n";

    analyzer_tests!(
        JWT_CLAIM_ROUTE,
        &format!("{AUTHN}{}", JWT_CLAIM_ROUTE.example.yaml)
    );

    #[test]
    fn recognises_claim_headers() {
        assert!(is_claim_header("@request.auth.claims.group"));
        assert!(is_claim_header("@Request.Auth.Claims[group][sub]"));
        assert!(!is_claim_header("@request.auth.claims."));
        assert!(!is_claim_header("@request.auth.claims[]"));
        assert!(!is_claim_header("x-group"));
    }

    #[test]
    fn other_namespaces_authn_does_not_apply() {
        let yaml = AUTHN.replace("namespace: istio-system", "namespace: default")
            + JWT_CLAIM_ROUTE.example.yaml;
        assert_eq!(findings_of(&JWT_CLAIM_ROUTE, &yaml).lines().count(), 1);
        let mesh_only = JWT_CLAIM_ROUTE
            .example
            .yaml
            .replace("gateways: [edge]", "gateways: [mesh]");
        assert_eq!(findings_of(&JWT_CLAIM_ROUTE, &mesh_only), "");
    }
}
