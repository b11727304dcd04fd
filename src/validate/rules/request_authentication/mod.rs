//! RequestAuthentication rule groups.

#[cfg(test)]
mod istio_cases;
mod jwt_rules;
mod target;

use super::{CheckFn, SemanticRule};

pub static RULES: &[SemanticRule] = &[
    SemanticRule {
        rule: &target::RULE,
        check: CheckFn::RequestAuthentication(target::check),
    },
    SemanticRule {
        rule: &jwt_rules::RULE,
        check: CheckFn::RequestAuthentication(jwt_rules::check),
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["RequestAuthentication"];
