//! MSH1003 invalid-enum-value: A field that takes one of a fixed set of values has another.

use crate::model::MeshKind;
use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1003",
    name: "invalid-enum-value",
    level: Level::Error,
    summary: "A field that takes one of a fixed set of values has another.",
    kinds: MeshKind::NAMES,
    explanation: "Fields such as `mtls.mode`, `tls.mode` and `loadBalancer.simple` accept only the names Istio defines, in upper case. Any other value is refused by the CRD schema.",
    example: Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICTT\n",
        fires_at: &["spec.mtls.mode"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
