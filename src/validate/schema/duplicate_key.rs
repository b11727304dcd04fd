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
crate::validate::test_support::rule_tests!(RULE);
