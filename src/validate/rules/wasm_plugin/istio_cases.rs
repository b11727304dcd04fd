//! Istio's own validation table for WasmPlugin, replayed as YAML.

use crate::validate::test_support::{Verdict, assert_verdicts};
use Verdict::*;

const SHA: &str = "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b";

#[test]
fn istio_table() {
    let gateway = "{group: gateway.networking.k8s.io, kind: Gateway, name: foo}";
    let cases = [
        // The CRD requires the url, so the schema refuses it first.
        ("empty", "{}".to_string(), Schema),
        ("wrong scheme", "{url: ftp://test.com/test}".into(), Invalid),
        ("valid http", "{url: http://test.com/test}".into(), Clean),
        (
            "valid http w/ sha",
            format!("{{url: http://test.com/test, sha256: {SHA}}}"),
            Clean,
        ),
        // The CRD's pattern refuses a short or non-hex checksum first.
        ("short sha", "{url: http://test.com/test, sha256: 01ba47}".into(), Schema),
        ("invalid sha", "{url: http://test.com/test, sha256: test}".into(), Schema),
        (
            "invalid sha characters",
            format!("{{url: http://test.com/test, sha256: {}}}", SHA.replacen('b', "B", 1)),
            Schema,
        ),
        ("valid oci", "{url: oci://test.com/test}".into(), Clean),
        ("valid oci no scheme", "{url: test.com/test}".into(), Clean),
        (
            "invalid vm config - invalid env name",
            "{url: test.com/test, vmConfig: {env: [{name: \"\", valueFrom: HOST}]}}".into(),
            Schema,
        ),
        (
            "invalid vm config - duplicate env",
            "{url: test.com/test, vmConfig: {env: [{name: ENV1, value: VAL1}, {name: ENV1, value: VAL1}]}}".into(),
            Invalid,
        ),
        (
            "target-ref-good",
            format!("{{url: http://test.com/test, targetRef: {gateway}}}"),
            Clean,
        ),
        (
            "target-ref-good-service",
            "{url: http://test.com/test, targetRef: {group: \"\", kind: Service, name: foo}}".into(),
            Clean,
        ),
        (
            "target-ref-non-empty-namespace",
            "{url: http://test.com/test, targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: foo, namespace: bar}}".into(),
            Invalid,
        ),
        (
            "target-ref-empty-name",
            "{url: http://test.com/test, targetRef: {group: gateway.networking.k8s.io, kind: Gateway}}".into(),
            Schema,
        ),
        (
            "target-ref-wrong-group",
            "{url: http://test.com/test, targetRef: {group: wrong-group, kind: Gateway, name: foo}}".into(),
            Invalid,
        ),
        (
            "target-ref-wrong-kind",
            "{url: http://test.com/test, targetRef: {group: gateway.networking.k8s.io, kind: wrong-kind, name: foo}}".into(),
            Invalid,
        ),
        (
            "target-ref-and-selector-cannot-both-be-set",
            format!("{{url: http://test.com/test, targetRef: {gateway}, selector: {{matchLabels: {{app: httpbin}}}}}}"),
            Invalid,
        ),
    ];
    assert_verdicts(cases.into_iter().map(|(name, spec, verdict)| {
        let yaml = format!(
            "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {{name: case, namespace: default}}\nspec: {spec}\n"
        );
        (name, yaml, verdict)
    }));
}
