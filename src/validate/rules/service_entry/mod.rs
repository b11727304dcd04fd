//! ServiceEntry rule groups.

use super::SemanticRule;

pub static RULES: &[SemanticRule] = &[];

/// What the rule groups of this kind read.
#[allow(dead_code)] // until the first rule group of this kind
pub(super) const KINDS: &[&str] = &["ServiceEntry"];
