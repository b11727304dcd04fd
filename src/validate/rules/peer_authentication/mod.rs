//! PeerAuthentication rule groups.

#[cfg(test)]
mod istio_cases;
mod mtls;

use super::SemanticRule;
use crate::model::istio::PeerAuthenticationSpec;

pub static RULES: &[SemanticRule<PeerAuthenticationSpec>] = &[SemanticRule {
    rule: &mtls::RULE,
    check: mtls::check,
}];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["PeerAuthentication"];
