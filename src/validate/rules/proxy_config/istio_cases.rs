//! Istio's own validation table for ProxyConfig, replayed as YAML.

use crate::validate::test_support::{Verdict, assert_verdicts};
use Verdict::*;

#[test]
fn istio_table() {
    let cases = [
        ("empty", "{}", Clean),
        // The CRD's minimum refuses it before the webhook does.
        ("invalid concurrency", "{concurrency: -1}", Schema),
        ("selector without labels", "{selector: {}}", Warn),
        (
            "wildcard selector",
            "{selector: {matchLabels: {app: \"*\"}}}",
            Invalid,
        ),
    ];
    assert_verdicts(cases.into_iter().map(|(name, spec, verdict)| {
        let yaml = format!(
            "apiVersion: networking.istio.io/v1beta1\nkind: ProxyConfig\nmetadata: {{name: case, namespace: default}}\nspec: {spec}\n"
        );
        (name, yaml, verdict)
    }));
}
