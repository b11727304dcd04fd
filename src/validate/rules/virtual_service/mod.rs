//! VirtualService rule groups.

mod hosts_and_gateways;

use super::{CheckFn, SemanticRule};

pub static RULES: &[SemanticRule] = &[SemanticRule {
    rule: &hosts_and_gateways::RULE,
    check: CheckFn::VirtualService(hosts_and_gateways::check),
}];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["VirtualService"];
