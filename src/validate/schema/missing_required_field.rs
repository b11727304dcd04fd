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
mod tests {
    use super::RULE;
    use crate::validate::test_support::{findings, findings_of};

    #[test]
    fn fires_on_the_example() {
        insta::assert_snapshot!(findings_of(&RULE, RULE.example.yaml));
    }

    #[test]
    fn quiet_on_valid_input() {
        let valid = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n      weight: 100\n";
        assert_eq!(findings(valid), "");
    }
}
