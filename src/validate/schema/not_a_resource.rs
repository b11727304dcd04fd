//! MSH0004 not-a-resource: A document is not a Kubernetes resource.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH0004",
    name: "not-a-resource",
    level: Level::Error,
    summary: "A document is not a Kubernetes resource.",
    kinds: &["*"],
    explanation: "Every document must be a mapping with string `apiVersion` and `kind` fields; kubectl refuses anything else. Empty documents are skipped, and resources of kinds meshctl does not know are accepted as they are.",
    example: Example {
        yaml: "- apiVersion: v1\n  kind: Service\n",
        fires_at: &[""],
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
