//! Telemetry rule groups.

#[cfg(test)]
mod istio_cases;
mod metrics;
mod target;
mod tracing;

use super::SemanticRule;
use crate::model::istio::TelemetrySpec;

pub static RULES: &[SemanticRule<TelemetrySpec>] = &[
    SemanticRule {
        rule: &target::RULE,
        check: target::check,
    },
    SemanticRule {
        rule: &tracing::RULE,
        check: tracing::check,
    },
    SemanticRule {
        rule: &metrics::RULE,
        check: metrics::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["Telemetry"];
