//! EnvoyFilter rule groups.

mod config_patches;
mod envoy_api;
#[cfg(test)]
mod istio_cases;
mod listener_match;
mod patch_value;

use super::SemanticRule;
use crate::model::istio::EnvoyFilterSpec;

pub static RULES: &[SemanticRule<EnvoyFilterSpec>] = &[
    SemanticRule {
        rule: &config_patches::RULE,
        check: config_patches::check,
    },
    SemanticRule {
        rule: &listener_match::RULE,
        check: listener_match::check,
    },
    SemanticRule {
        rule: &patch_value::RULE,
        check: patch_value::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["EnvoyFilter"];

use crate::model::istio::{EnvoyConfigObjectPatch, PatchContext};

/// The patches Istio's webhook looks into: waypoint patches are not
/// validated yet.
fn checked_patches(
    spec: &EnvoyFilterSpec,
) -> impl Iterator<Item = (usize, &EnvoyConfigObjectPatch)> {
    spec.config_patches.iter().enumerate().filter(|(_, patch)| {
        let context = patch.r#match.as_ref().and_then(|m| m.context);
        context != Some(PatchContext::Waypoint)
    })
}
