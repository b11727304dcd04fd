//! Telemetry: metric tag overrides. (Empty provider names and custom
//! metric names break the CRD's schema.)

use super::super::destination_rule::labels::key_path;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{TagOperation, TelemetrySpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "telemetry-metrics",
    KINDS,
    "Telemetry metric tag overrides that Istio refuses.",
    "A tag override UPSERTs (the default) the tag with the value of its CEL expression, so it \
     needs a `value`; REMOVE drops the tag and takes none. A tag with an empty name is accepted \
     with a warning.",
    Example {
        yaml: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: metrics\nspec:\n  metrics:\n  - providers:\n    - name: prometheus\n    overrides:\n    - tagOverrides:\n        request_host:\n          operation: UPSERT\n        response_code:\n          operation: REMOVE\n          value: \"200\"\n",
        fires_at: &[
            "spec.metrics[0].overrides[0].tagOverrides.request_host",
            "spec.metrics[0].overrides[0].tagOverrides.response_code.value",
        ],
    },
);

pub fn check(spec: &TelemetrySpec, found: &mut Findings) {
    for (i, metrics) in spec.metrics.iter().enumerate() {
        for (j, overrides) in metrics.overrides.iter().enumerate() {
            let base = format!("spec.metrics[{i}].overrides[{j}].tagOverrides");
            for (name, tag) in &overrides.tag_overrides {
                let path = key_path(&base, name);
                if name.is_empty() {
                    found.warn(&path, "tagOverrides.name may not be empty");
                }
                let has_value = tag.value.as_deref().is_some_and(|v| !v.is_empty());
                match tag.operation.unwrap_or(TagOperation::Upsert) {
                    TagOperation::Upsert if !has_value => found.report(
                        path,
                        "tagOverrides.value must be set when operation is UPSERT",
                    ),
                    TagOperation::Remove if has_value => found.report(
                        format!("{path}.value"),
                        "tagOverrides.value may only be set when operation is UPSERT",
                    ),
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
