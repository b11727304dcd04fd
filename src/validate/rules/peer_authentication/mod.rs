//! PeerAuthentication rule groups.

mod mtls;

use super::{CheckFn, SemanticRule};

pub static RULES: &[SemanticRule] = &[SemanticRule {
    rule: &mtls::RULE,
    check: CheckFn::PeerAuthentication(mtls::check),
}];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["PeerAuthentication"];
