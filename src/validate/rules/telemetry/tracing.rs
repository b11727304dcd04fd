//! Telemetry: tracing providers and custom tags. (Sampling out of 0..100,
//! empty provider names and empty tag values break the CRD's schema.)

use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::TelemetrySpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "telemetry-tracing",
    KINDS,
    "Telemetry tracing that Istio refuses or does not support.",
    "Istio supports one tracing configuration with one provider per Telemetry: more are accepted \
     with a warning, and only the first is used. A custom tag needs a name.",
    Example {
        yaml: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: tracing\nspec:\n  tracing:\n  - providers:\n    - name: zipkin\n    - name: otel\n    customTags:\n      \"\":\n        literal: {value: east}\n",
        fires_at: &["spec.tracing[0].customTags"],
    },
);

pub fn check(spec: &TelemetrySpec, found: &mut Findings) {
    if spec.tracing.len() > 1 {
        found.warn(
            "spec.tracing",
            "multiple tracing is not currently supported",
        );
    }
    for (i, tracing) in spec.tracing.iter().enumerate() {
        let path = format!("spec.tracing[{i}]");
        if tracing.providers.len() > 1 {
            found.warn(
                format!("{path}.providers"),
                "multiple providers is not currently supported",
            );
        }
        if tracing.custom_tags.contains_key("") {
            found.report(format!("{path}.customTags"), "tag name may not be empty");
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
