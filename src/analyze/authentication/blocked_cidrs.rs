//! RequestAuthentications while istiod may fetch JWKS from any address
//! (IST0175): without `BLOCKED_CIDRS_IN_JWKS_URIS`, a `jwksUri` can make
//! istiod request internal addresses.

use super::super::{Analyzer, Report};

use crate::loader::Node;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static UNRESTRICTED_JWKS_FETCH: Rule = Rule {
    code: "IST0175",
    name: "jwks-uri-fetch-unrestricted",
    level: Level::Warning,
    summary: "RequestAuthentications exist but istiod does not restrict the addresses it fetches JWKS from.",
    kinds: &["Deployment", "RequestAuthentication"],
    explanation: "istiod fetches the keys of every `jwksUri` of every RequestAuthentication. \
        Anyone who can create a RequestAuthentication can then make istiod send requests to \
        internal addresses (the cloud metadata service, the API server). The \
        `BLOCKED_CIDRS_IN_JWKS_URIS` environment variable of istiod lists the CIDR blocks it \
        refuses to fetch from; set it (for example to the link-local, loopback and private \
        ranges your issuers do not use) when RequestAuthentications are in use.",
    example: Example {
        yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: istiod\n  namespace: istio-system\n  labels: {app: istiod}\nspec:\n  selector:\n    matchLabels: {app: istiod}\n  template:\n    metadata:\n      labels: {app: istiod}\n    spec:\n      containers:\n      - name: discovery\n        image: istio/pilot\n---\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: jwt\nspec:\n  jwtRules:\n  - issuer: https://issuer.example.com\n    jwksUri: https://issuer.example.com/keys\n",
        fires_at: &["spec.template.spec.containers"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "authn.BlockedCIDRsAnalyzer",
    rules: &[&UNRESTRICTED_JWKS_FETCH],
    run,
};

const BLOCKED_CIDRS: &str = "BLOCKED_CIDRS_IN_JWKS_URIS";

/// How many RequestAuthentications a finding names.
const NAMED: usize = 5;

fn run(snapshot: &Snapshot, report: &mut Report) {
    let names: Vec<String> = snapshot
        .request_authentications()
        .map(|(o, _)| format!("{}/{}", o.namespace.as_deref().unwrap_or_default(), o.name))
        .collect();
    if names.is_empty() {
        return;
    }
    let listed = match names.len() {
        n if n <= NAMED => names.join(", "),
        n => format!("{}, and {} more", names[..NAMED].join(", "), n - NAMED),
    };
    for deployment in snapshot.of_kind("Deployment") {
        let istiod = deployment
            .metadata()
            .labels
            .as_ref()
            .and_then(|l| l.get("app"));
        if istiod.is_none_or(|app| app != "istiod") || sets_blocked_cidrs(deployment.tree()) {
            continue;
        }
        report.report_with_help(
            &UNRESTRICTED_JWKS_FETCH,
            deployment,
            "spec.template.spec.containers",
            format!("{BLOCKED_CIDRS} is not set on istiod, and {} RequestAuthentication(s) exist ({listed}): istiod fetches their JWKS from any address", names.len()),
            format!("set {BLOCKED_CIDRS} in istiod's environment to the CIDR blocks JWKS must not be fetched from"),
        );
    }
}

/// Whether a container of the Deployment's pod template sets the variable
/// to a non-empty value.
fn sets_blocked_cidrs(deployment: &Node) -> bool {
    let containers = ["spec", "template", "spec", "containers"]
        .iter()
        .try_fold(deployment, |node, key| node.get(key));
    let containers = containers.and_then(Node::as_seq).unwrap_or_default();
    containers.iter().any(|container| {
        let env = container.get("env").and_then(Node::as_seq);
        env.unwrap_or_default().iter().any(|env| {
            env.get_str("name") == Some(BLOCKED_CIDRS)
                && env.get_str("value").is_some_and(|v| !v.is_empty())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        UNRESTRICTED_JWKS_FETCH,
        &UNRESTRICTED_JWKS_FETCH.example.yaml.replace(
            "        image: istio/pilot\n",
            "        image: istio/pilot\n        env:\n        - {name: BLOCKED_CIDRS_IN_JWKS_URIS, value: 169.254.0.0/16}\n"
        )
    );

    #[test]
    fn no_request_authentication_nothing_to_restrict() {
        let yaml = UNRESTRICTED_JWKS_FETCH.example.yaml;
        let istiod_only = &yaml[..yaml.find("---").unwrap()];
        assert_eq!(findings_of(&UNRESTRICTED_JWKS_FETCH, istiod_only), "");
    }
}
