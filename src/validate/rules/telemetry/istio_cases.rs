//! Istio's own validation table for Telemetry, replayed as YAML.

use crate::validate::test_support::{Verdict, assert_verdicts};
use Verdict::*;

#[test]
fn istio_table() {
    let env_tag = "tracing: [{customTags: {clusterID: {environment: {name: FOO}}}}]";
    let gateway = "group: gateway.networking.k8s.io, kind: Gateway";
    let cases = [
        ("empty", "{}".to_string(), Clean),
        (
            "multiple providers",
            "{tracing: [{providers: [{name: foo}, {name: bar}]}]}".into(),
            Warn,
        ),
        ("multiple tracers", "{tracing: [{}, {}]}".into(), Warn),
        // The CRD's maximum refuses it before the webhook does.
        (
            "bad randomSamplingPercentage",
            "{tracing: [{randomSamplingPercentage: 101}]}".into(),
            Schema,
        ),
        ("tag", format!("{{{env_tag}}}"), Clean),
        // Istio's case is a nil tag, which YAML cannot write; a tag of no
        // type passes both the CRD and the webhook.
        (
            "without tag type",
            "{tracing: [{customTags: {clusterID: {}}}]}".into(),
            Clean,
        ),
        (
            "tagOverrides",
            "{metrics: [{overrides: [{tagOverrides: {my-new-tag: {operation: UPSERT, value: \"\"}}}]}]}".into(),
            Invalid,
        ),
        (
            "tagOverrides with value",
            "{metrics: [{overrides: [{tagOverrides: {my-new-tag: {operation: UPSERT, value: some-cel-expression}}}]}]}".into(),
            Clean,
        ),
        (
            "multiple providers in metrics and access logging",
            "{metrics: [{providers: [{name: foo}, {name: bar}]}], accessLogging: [{providers: [{name: foo}, {name: bar}]}]}".into(),
            Clean,
        ),
        (
            "good targetRef",
            format!("{{{env_tag}, targetRef: {{{gateway}, name: foo}}}}"),
            Clean,
        ),
        // The CRD requires the name.
        (
            "bad targetRef - empty name",
            format!("{{{env_tag}, targetRef: {{{gateway}}}}}"),
            Schema,
        ),
        (
            "bad targetRef - non-empty namespace",
            format!("{{{env_tag}, targetRef: {{{gateway}, name: foo, namespace: bar}}}}"),
            Invalid,
        ),
        (
            "bad targetRef - wrong group",
            format!("{{{env_tag}, targetRef: {{group: wrong-group, kind: Gateway, name: foo}}}}"),
            Invalid,
        ),
        (
            "bad targetRef - wrong kind",
            format!("{{{env_tag}, targetRef: {{group: gateway.networking.k8s.io, kind: wrong-kind, name: foo}}}}"),
            Invalid,
        ),
        (
            "targetRef and selector cannot both be set",
            format!("{{{env_tag}, targetRef: {{{gateway}, name: foo}}, selector: {{matchLabels: {{app: httpbin}}}}}}"),
            Invalid,
        ),
    ];
    assert_verdicts(cases.into_iter().map(|(name, spec, verdict)| {
        let yaml = format!(
            "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {{name: case, namespace: default}}\nspec: {spec}\n"
        );
        (name, yaml, verdict)
    }));
}
