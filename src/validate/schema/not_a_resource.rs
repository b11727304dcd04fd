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
crate::validate::test_support::rule_tests!(RULE);
