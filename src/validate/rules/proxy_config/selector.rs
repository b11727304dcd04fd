//! ProxyConfig: the workloads it applies to. (A negative concurrency, which
//! Istio also refuses, breaks the CRD's minimum and is a schema finding.)

use super::super::authorization_policy::targeting::check_selector;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::ProxyConfigSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "proxyconfig-selector",
    KINDS,
    "ProxyConfig selector that Istio refuses.",
    "A ProxyConfig applies to the workloads its selector matches (all of its namespace without \
     one; all of the mesh in the root namespace). Selector labels may not have empty keys or \
     wildcards; a selector without labels is accepted with a warning, since it selects the \
     whole namespace anyway.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1beta1\nkind: ProxyConfig\nmetadata:\n  name: per-app\nspec:\n  selector:\n    matchLabels:\n      app: \"reviews-*\"\n  concurrency: 2\n",
        fires_at: &["spec.selector.matchLabels.app"],
    },
);

pub fn check(spec: &ProxyConfigSpec, found: &mut Findings) {
    check_selector(spec.selector.as_ref(), found);
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
