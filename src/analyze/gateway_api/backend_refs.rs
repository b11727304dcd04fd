//! Route backends Istio cannot resolve, as it reports them in the route's
//! `ResolvedRefs` condition: a Service or ServiceEntry that does not
//! exist (BackendNotFound, MSH3008), and one in another namespace that no
//! ReferenceGrant opens to the route (RefNotPermitted, MSH3009). Traffic
//! to such a backend gets a 500.

use super::super::{Analyzer, Report};
use super::routes::{Backend, GATEWAY_API, Route, routes};

use crate::mesh::reference_grant::{CrossReference, ReferenceGrants};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static BACKEND_NOT_FOUND: Rule = Rule {
    code: "MSH3008",
    name: "gateway-api-backend-not-found",
    level: Level::Error,
    summary: "A Gateway API route backend naming a Service or ServiceEntry that does not exist.",
    kinds: &[
        "HTTPRoute",
        "GRPCRoute",
        "TCPRoute",
        "TLSRoute",
        "UDPRoute",
        "Service",
        "ServiceEntry",
    ],
    explanation: "Istio resolves each `backendRefs` entry of an HTTPRoute, GRPCRoute, TCPRoute, \
        TLSRoute or UDPRoute to a Service (the default kind) or, with group \
        `networking.istio.io`, a ServiceEntry, in the route's namespace unless the reference \
        names another. When it does not exist, Istio sets the route's `ResolvedRefs` condition \
        to False (reason BackendNotFound) and answers the requests that backend should take \
        with a 500. Usually a typo, or the Service lives in another namespace.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\nspec:\n  parentRefs:\n  - {kind: Service, group: \"\", name: reviews}\n  rules:\n  - backendRefs:\n    - {name: reviwes, port: 9080}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector: {app: reviews}\n  ports:\n  - {name: http, port: 9080}\n",
        fires_at: &["spec.rules[0].backendRefs[0]"],
    },
};

pub static REF_NOT_PERMITTED: Rule = Rule {
    code: "MSH3009",
    name: "gateway-api-backend-ref-not-permitted",
    level: Level::Error,
    summary: "A Gateway API route backend in another namespace that no ReferenceGrant opens to the route.",
    kinds: &[
        "HTTPRoute",
        "GRPCRoute",
        "TCPRoute",
        "TLSRoute",
        "UDPRoute",
        "ReferenceGrant",
    ],
    explanation: "A route may send traffic to a backend of another namespace only when a \
        ReferenceGrant in that namespace allows it: `from` the route's kind and namespace, `to` \
        the backend's kind (and name, when the grant names one). Without one, Istio sets the \
        route's `ResolvedRefs` condition to False (reason RefNotPermitted) and the backend \
        takes no traffic. Add the ReferenceGrant in the backend's namespace. Istio checks \
        grants only for routes attached to a Gateway: a mesh route whose parents are all \
        Services needs none.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  parentRefs:\n  - {name: ingress, namespace: istio-ingress}\n  rules:\n  - backendRefs:\n    - {name: reviews, namespace: backend, port: 9080}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: backend\nspec:\n  selector: {app: reviews}\n  ports:\n  - {name: http, port: 9080}\n",
        fires_at: &["spec.rules[0].backendRefs[0]"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.GatewayApiBackendRefAnalyzer",
    rules: &[&BACKEND_NOT_FOUND, &REF_NOT_PERMITTED],
    run,
};

const ISTIO_NETWORKING: &str = "networking.istio.io";

fn run(snapshot: &Snapshot, report: &mut Report) {
    let grants = snapshot.reference_grant_index();
    for route in routes(snapshot) {
        for (path, backend) in &route.backends {
            check(snapshot, &grants, &route, path, backend, report);
        }
    }
}

fn check(
    snapshot: &Snapshot,
    grants: &ReferenceGrants,
    route: &Route,
    path: &str,
    backend: &Backend,
    report: &mut Report,
) {
    // Only the kinds Istio resolves to a resource; `Hostname` and others
    // name no object.
    let exists_as = match (backend.group, backend.kind) {
        ("", "Service") => ("", "Service"),
        (ISTIO_NETWORKING, "ServiceEntry") => (ISTIO_NETWORKING, "ServiceEntry"),
        _ => return,
    };
    let own = route.object.namespace.as_deref().unwrap_or_default();
    let namespace = backend.namespace.unwrap_or(own);
    let kind = backend.kind;
    let name = backend.name;
    if snapshot
        .get(exists_as.0, exists_as.1, namespace, name)
        .is_none()
    {
        report.report_with_help(
            &BACKEND_NOT_FOUND,
            route.object,
            path,
            format!("backend {kind} {namespace}/{name} does not exist (Istio: ResolvedRefs False, BackendNotFound); its share of the traffic gets a 500"),
            format!("check the name, and that the {kind} is in namespace {namespace:?}"),
        );
    } else if namespace != own
        && has_gateway_parent(route)
        && !grants.allow(&CrossReference {
            route_kind: &route.object.kind,
            route_namespace: own,
            namespace,
            group: backend.group,
            kind,
            name,
        })
    {
        report.report_with_help(
            &REF_NOT_PERMITTED,
            route.object,
            path,
            format!("no ReferenceGrant in namespace {namespace:?} lets {} of namespace {own:?} use {kind} {name} (Istio: ResolvedRefs False, RefNotPermitted)", route.object.kind),
            format!("add a ReferenceGrant in {namespace:?} from {{group: {GATEWAY_API}, kind: {}, namespace: {own}}} to {{group: \"{}\", kind: {kind}}}", route.object.kind, backend.group),
        );
    }
}

/// Istio checks ReferenceGrants only when it converts a route for a
/// gateway: a mesh route (its parents all Services) may send to any
/// namespace's backends.
fn has_gateway_parent(route: &Route) -> bool {
    route.parents.iter().any(|parent| !parent.is_service())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        BACKEND_NOT_FOUND,
        &BACKEND_NOT_FOUND.example.yaml.replace("reviwes", "reviews")
    );

    const GRANT: &str = "---\napiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: shop-routes\n  namespace: backend\nspec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}\n  to:\n  - {group: \"\", kind: Service}\n";

    #[test]
    fn a_reference_grant_opens_another_namespace() {
        insta::assert_snapshot!(findings_of(
            &REF_NOT_PERMITTED,
            REF_NOT_PERMITTED.example.yaml
        ));
        let granted = format!("{}{GRANT}", REF_NOT_PERMITTED.example.yaml);
        assert_eq!(findings_of(&REF_NOT_PERMITTED, &granted), "");
        // A grant for another route kind, or another Service, does not.
        for other in [
            GRANT.replace("kind: HTTPRoute", "kind: GRPCRoute"),
            GRANT.replace("kind: Service}", "kind: Service, name: ratings}"),
        ] {
            let yaml = format!("{}{other}", REF_NOT_PERMITTED.example.yaml);
            assert_ne!(findings_of(&REF_NOT_PERMITTED, &yaml), "", "{other}");
        }
        // A mesh route (a Service parent) needs no grant.
        let mesh = REF_NOT_PERMITTED.example.yaml.replace(
            "{name: ingress, namespace: istio-ingress}",
            "{group: \"\", kind: Service, name: reviews, namespace: backend}",
        );
        assert_ne!(mesh, REF_NOT_PERMITTED.example.yaml);
        assert_eq!(findings_of(&REF_NOT_PERMITTED, &mesh), "");
    }

    #[test]
    fn service_entries_and_other_kinds() {
        let yaml = "apiVersion: gateway.networking.k8s.io/v1\nkind: TCPRoute\nmetadata:\n  name: db\nspec:\n  parentRefs:\n  - {name: ingress}\n  rules:\n  - backendRefs:\n    - {group: networking.istio.io, kind: ServiceEntry, name: db, port: 5432}\n    - {group: networking.istio.io, kind: Hostname, name: db.example.com, port: 5432}\n";
        insta::assert_snapshot!(findings_of(&BACKEND_NOT_FOUND, yaml));
    }
}
