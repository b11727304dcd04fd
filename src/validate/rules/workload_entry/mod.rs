//! WorkloadEntry rule groups.

mod address;
#[cfg(test)]
mod istio_cases;

use super::SemanticRule;
use crate::model::istio::WorkloadEntrySpec;

pub static RULES: &[SemanticRule<WorkloadEntrySpec>] = &[SemanticRule {
    rule: &address::RULE,
    check: address::check,
}];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["WorkloadEntry"];
