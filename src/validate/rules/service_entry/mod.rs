//! ServiceEntry rule groups.

mod hosts;
#[cfg(test)]
mod istio_cases;
mod labels;
mod ports;
pub(super) mod protocol;
mod resolution;

use super::{CheckFn, SemanticRule};

pub static RULES: &[SemanticRule] = &[
    SemanticRule {
        rule: &hosts::RULE,
        check: CheckFn::ServiceEntry(hosts::check),
    },
    SemanticRule {
        rule: &ports::RULE,
        check: CheckFn::ServiceEntry(ports::check),
    },
    SemanticRule {
        rule: &resolution::RULE,
        check: CheckFn::ServiceEntry(resolution::check),
    },
    SemanticRule {
        rule: &labels::RULE,
        check: CheckFn::AnyKind(labels::check),
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["ServiceEntry"];

/// The findings for a ServiceEntry whose `spec` is `body` (YAML indented by
/// two spaces), for the rule groups' case tests.
#[cfg(test)]
fn check_spec(body: &str) -> String {
    crate::validate::test_support::findings(&format!(
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\nspec:\n{body}"
    ))
}
