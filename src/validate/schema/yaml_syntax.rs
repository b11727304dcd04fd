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
crate::validate::test_support::rule_tests!(RULE);
