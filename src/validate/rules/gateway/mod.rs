//! Gateway rule groups.

#[cfg(test)]
mod cases;
mod servers;
pub(super) mod tls;

use super::{CheckFn, SemanticRule};

pub static RULES: &[SemanticRule] = &[
    SemanticRule {
        rule: &servers::RULE,
        check: CheckFn::Gateway(servers::check),
    },
    SemanticRule {
        rule: &tls::RULE,
        check: CheckFn::Gateway(tls::check),
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["Gateway"];
