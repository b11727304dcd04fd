//! PeerAuthentication: its selector, and port-level mTLS, which needs one.

use super::super::authorization_policy::targeting::check_selector;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::loader::push_key;
use crate::model::istio::PeerAuthenticationSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "peerauthentication-mtls",
    KINDS,
    "PeerAuthentication selector or port-level mTLS that Istio refuses.",
    "`portLevelMtls` overrides the mTLS mode for ports of selected workloads, so it needs a selector \
     with at least one label: a mesh-wide or namespace-wide PeerAuthentication cannot have it. Its \
     keys are port numbers from 1 to 65535. Selector labels may not have empty keys or wildcards (a \
     selector without labels is accepted with a warning). Istio's webhook and the CRD's CEL rules \
     refuse the rest.",
    Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: bookinfo\nspec:\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    \"0\": {mode: DISABLE}\n",
        fires_at: &["spec.portLevelMtls", "spec.portLevelMtls.0"],
    },
);

pub fn check(spec: &PeerAuthenticationSpec, found: &mut Findings) {
    check_selector(spec.selector.as_ref(), found);
    let has_labels = spec
        .selector
        .as_ref()
        .is_some_and(|s| !s.match_labels.is_empty());
    if !spec.port_level_mtls.is_empty() && !has_labels {
        found.report(
            "spec.portLevelMtls",
            "portLevelMtls requires a selector with labels: mesh/namespace peer authentication cannot have port level mTLS",
        );
    }
    for port in spec.port_level_mtls.keys() {
        let mut path = String::from("spec.portLevelMtls");
        push_key(&mut path, port);
        let valid = !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !valid {
            found.report(
                path,
                format!("portLevelMtls key {port:?}: port must be between 1-65535"),
            );
        }
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    fn policy(spec: &str) -> String {
        format!(
            "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {{name: p, namespace: ns}}\nspec:\n{spec}"
        )
    }

    #[test]
    fn port_level_mtls() {
        let good = "  selector: {matchLabels: {app: a}}\n  portLevelMtls:\n    \"8080\": {mode: DISABLE}\n";
        assert_eq!(findings(&policy(good)), "");
        for bad in [
            "  selector: {matchLabels: {app: a}}\n  portLevelMtls:\n    \"65536\": {mode: DISABLE}\n",
            "  selector: {matchLabels: {app: a}}\n  portLevelMtls:\n    http: {mode: DISABLE}\n",
            "  selector: {}\n  portLevelMtls:\n    \"80\": {mode: DISABLE}\n",
            "  selector: {matchLabels: {\"\": a}}\n",
        ] {
            assert!(findings(&policy(bad)).contains("IST0"), "{bad}");
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
