//! MSH1006 value-out-of-bounds: A value is outside the bounds its schema sets.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1006",
    name: "value-out-of-bounds",
    level: Level::Error,
    summary: "A value is outside the bounds its schema sets.",
    kinds: &["*"],
    explanation: "The schema bounds some values: integer ranges (a port is a 32-bit unsigned integer), string lengths (label values at most 63 characters), list lengths (at most 2 TLS certificates on a server) and patterns (a policy `targetRef.kind`). Values outside them are refused.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  trafficPolicy:\n    outlierDetection:\n      consecutive5xxErrors: -1\n",
        fires_at: &["spec.trafficPolicy.outlierDetection.consecutive5xxErrors"],
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
