//! MSH1008 unknown-kind: A resource of a mesh's API group names a kind the group does not serve.

use crate::model::MeshKind;
use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH1008",
    name: "unknown-kind",
    level: Level::Error,
    summary: "A resource of a mesh's API group names a kind the group does not serve.",
    kinds: MeshKind::NAMES,
    explanation: "The API server refuses a kind its group does not serve, so a typo such as `VirtualServce` never reaches the mesh; left unflagged, it would also pass every check unseen. meshctl knows every kind the Istio groups (networking, security, telemetry, extensions.istio.io) and the Gateway API group serve, and suggests the closest one. Kinds of those groups that meshctl does not check yet are counted in the summary as not checked.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualServce\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n",
        fires_at: &["kind"],
    },
};

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
