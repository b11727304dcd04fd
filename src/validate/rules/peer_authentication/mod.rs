//! PeerAuthentication rule groups.

#[cfg(test)]
mod istio_cases;
mod mtls;

use super::{CheckFn, SemanticRule};

pub static RULES: &[SemanticRule] = &[SemanticRule {
    rule: &mtls::RULE,
    check: CheckFn::PeerAuthentication(mtls::check),
}];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["PeerAuthentication"];
