//! MSH1002 wrong-type: A field has a value of the wrong type.

use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1002",
    name: "wrong-type",
    level: Level::Error,
    summary: "A field has a value of the wrong type.",
    kinds: &["*"],
    explanation: "Kubernetes reads YAML as JSON and refuses a value of the wrong type: a quoted number where an integer is expected, a list where a mapping is expected, or an unquoted `yes`/`on`/`1.0` where a string is expected (YAML reads those as a boolean or a number). Quote strings, unquote numbers.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n      weight: \"ten\"\n",
        fires_at: &["spec.http[0].route[0].weight"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
