//! ProxyConfig rule groups.

#[cfg(test)]
mod istio_cases;
mod selector;

use super::SemanticRule;
use crate::model::istio::ProxyConfigSpec;

pub static RULES: &[SemanticRule<ProxyConfigSpec>] = &[SemanticRule {
    rule: &selector::RULE,
    check: selector::check,
}];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["ProxyConfig"];
