//! RequestAuthentication rule groups.

#[cfg(test)]
mod istio_cases;
mod jwt_rules;
mod target;

use super::SemanticRule;
use crate::model::istio::RequestAuthenticationSpec;

pub static RULES: &[SemanticRule<RequestAuthenticationSpec>] = &[
    SemanticRule {
        rule: &target::RULE,
        check: target::check,
    },
    SemanticRule {
        rule: &jwt_rules::RULE,
        check: jwt_rules::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["RequestAuthentication"];
