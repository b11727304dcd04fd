//! AuthorizationPolicy rule groups.

mod action;
mod from;
#[cfg(test)]
pub(super) mod istio_cases;
mod target;
pub(super) mod targeting;
mod to;
mod values;
mod when;

use super::SemanticRule;
use crate::model::istio::AuthorizationPolicySpec;

pub static RULES: &[SemanticRule<AuthorizationPolicySpec>] = &[
    SemanticRule {
        rule: &target::RULE,
        check: target::check,
    },
    SemanticRule {
        rule: &action::RULE,
        check: action::check,
    },
    SemanticRule {
        rule: &from::RULE,
        check: from::check,
    },
    SemanticRule {
        rule: &to::RULE,
        check: to::check,
    },
    SemanticRule {
        rule: &when::RULE,
        check: when::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["AuthorizationPolicy"];
