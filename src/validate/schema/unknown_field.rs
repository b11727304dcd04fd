//! MSH1001 unknown-field: A mesh resource has a field that its schema does not define.

use crate::model::MeshKind;
use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1001",
    name: "unknown-field",
    level: Level::Error,
    summary: "A mesh resource has a field that its schema does not define.",
    kinds: MeshKind::NAMES,
    explanation: "Istio's CRDs are structural: with kubectl's default strict field validation an unknown field is refused, and where it is not, it is silently dropped, so a typo such as `weigth` quietly changes the traffic. meshctl names the field and suggests the closest valid one.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n      weigth: 100\n",
        fires_at: &["spec.http[0].route[0].weigth"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
