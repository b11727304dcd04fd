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

use super::{CheckFn, SemanticRule};

pub static RULES: &[SemanticRule] = &[
    SemanticRule {
        rule: &target::RULE,
        check: CheckFn::AuthorizationPolicy(target::check),
    },
    SemanticRule {
        rule: &action::RULE,
        check: CheckFn::AuthorizationPolicy(action::check),
    },
    SemanticRule {
        rule: &from::RULE,
        check: CheckFn::AuthorizationPolicy(from::check),
    },
    SemanticRule {
        rule: &to::RULE,
        check: CheckFn::AuthorizationPolicy(to::check),
    },
    SemanticRule {
        rule: &when::RULE,
        check: CheckFn::AuthorizationPolicy(when::check),
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["AuthorizationPolicy"];
