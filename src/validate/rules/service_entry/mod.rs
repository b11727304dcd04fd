//! ServiceEntry rule groups.

mod hosts;
#[cfg(test)]
mod istio_cases;
mod labels;
mod ports;
pub(super) mod protocol;
mod resolution;

use super::SemanticRule;
use crate::model::istio::ServiceEntrySpec;

pub static RULES: &[SemanticRule<ServiceEntrySpec>] = &[
    SemanticRule {
        rule: &hosts::RULE,
        check: hosts::check,
    },
    SemanticRule {
        rule: &ports::RULE,
        check: ports::check,
    },
    SemanticRule {
        rule: &resolution::RULE,
        check: resolution::check,
    },
    SemanticRule {
        rule: &labels::RULE,
        check: labels::check,
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
