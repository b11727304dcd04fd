//! MSH0001 yaml-syntax: The YAML (or JSON) cannot be parsed.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH0001",
    name: "yaml-syntax",
    level: Level::Error,
    summary: "The YAML (or JSON) cannot be parsed.",
    kinds: &["*"],
    explanation: "A syntax error makes the whole document unreadable, so neither kubectl nor Istio would accept it. meshctl reports where the parser stopped and goes on with the next document (after the next `---`) and the other files.\n\nFix the indentation or quoting at the reported line; YAML cannot be indented with tabs.",
    example: Example {
        yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  key: \"unterminated\n",
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
