//! WorkloadGroup rule groups.

#[cfg(test)]
mod istio_cases;
mod labels;
mod probe;

use super::SemanticRule;
use crate::model::istio::WorkloadGroupSpec;

pub static RULES: &[SemanticRule<WorkloadGroupSpec>] = &[
    SemanticRule {
        rule: &labels::RULE,
        check: labels::check,
    },
    SemanticRule {
        rule: &probe::RULE,
        check: probe::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["WorkloadGroup"];
