//! MSH0002 duplicate-key: A mapping repeats a key.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH0002",
    name: "duplicate-key",
    level: Level::Error,
    summary: "A mapping repeats a key.",
    kinds: &["*"],
    explanation: "Kubernetes' YAML reader refuses a mapping that repeats a key, and other tools silently keep one of the two values. Either way the author meant something else. Keep one of the keys.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  hosts: [ratings]\n",
        fires_at: &["spec.hosts"],
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
