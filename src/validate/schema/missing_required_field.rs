//! MSH1004 missing-required-field: A required field is missing.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1004",
    name: "missing-required-field",
    level: Level::Error,
    summary: "A required field is missing.",
    kinds: &["*"],
    explanation: "Istio's schema requires some fields (a route destination's `host`, a Gateway server's `port` and `hosts`, a ServiceEntry's `hosts`, ...), and every resource needs `metadata.name`. The finding points at the mapping that lacks the field.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        subset: v1\n",
        fires_at: &["spec.http[0].route[0].destination.host"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
