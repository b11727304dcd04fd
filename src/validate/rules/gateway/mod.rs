//! Gateway rule groups.

#[cfg(test)]
mod cases;
mod servers;
pub(super) mod tls;

use super::SemanticRule;
use crate::model::istio::GatewaySpec;

pub static RULES: &[SemanticRule<GatewaySpec>] = &[
    SemanticRule {
        rule: &servers::RULE,
        check: servers::check,
    },
    SemanticRule {
        rule: &tls::RULE,
        check: tls::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["Gateway"];
