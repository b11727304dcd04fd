//! MSH1005 conflicting-fields: Fields that exclude each other are set together.

use crate::model::MeshKind;
use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1005",
    name: "conflicting-fields",
    level: Level::Error,
    summary: "Fields that exclude each other are set together.",
    kinds: MeshKind::NAMES,
    explanation: "Some Istio messages are one-of choices: a string match is `exact`, `prefix` or `regex`; a load balancer is `simple` or `consistentHash`; a fault abort has one status. Setting two of them is refused by the schema.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - match:\n    - uri:\n        prefix: /api\n        exact: /api/v1\n    route:\n    - destination:\n        host: reviews\n",
        fires_at: &["spec.http[0].match[0].uri.exact"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
