//! Istio's own validation table for PeerAuthentication, replayed as YAML.

use super::super::authorization_policy::istio_cases::{Verdict, assert_table};
use Verdict::*;

const NO: &str = "";

#[test]
fn istio_table() {
    let cases: &[(&str, &str, &str, Verdict)] = &[
        ("empty spec", NO, "{}", Valid),
        (
            "empty mtls with selector of empty labels",
            NO,
            "{selector: {}}",
            Warn,
        ),
        (
            "default name with non empty selector",
            NO,
            "{selector: {matchLabels: {app: httpbin}}}",
            Valid,
        ),
        (
            "empty selector with port level mtls",
            NO,
            "{portLevelMtls: {\"8080\": {mode: UNSET}}}",
            Invalid,
        ),
        (
            "port 0",
            NO,
            "{portLevelMtls: {\"0\": {mode: UNSET}}}",
            Invalid,
        ),
        (
            "port 0 with selector",
            NO,
            "{selector: {matchLabels: {app: httpbin}}, portLevelMtls: {\"0\": {mode: UNSET}}}",
            Invalid,
        ),
        ("unset mode", NO, "{mtls: {mode: UNSET}}", Valid),
        (
            "port level",
            NO,
            "{selector: {matchLabels: {app: httpbin}}, portLevelMtls: {\"8080\": {mode: UNSET}}}",
            Valid,
        ),
        (
            "dry run annotation not supported",
            "{istio.io/dry-run: \"true\"}",
            "{}",
            Invalid,
        ),
    ];
    assert_table("PeerAuthentication", cases);
}

/// `portLevelMtls: {}` reaches Istio as an empty map, which both the CRD
/// (`minProperties: 1`) and the webhook refuse. Our model reads an empty map
/// and an absent one alike, so the schema stage needs the bound first.
#[test]
#[ignore = "needs minProperties: 1 on PeerAuthenticationSpec.port_level_mtls in the model"]
fn empty_port_level_mtls() {
    assert_table(
        "PeerAuthentication",
        &[(
            "empty port level mtls",
            NO,
            "{selector: {matchLabels: {app: httpbin}}, portLevelMtls: {}}",
            Schema,
        )],
    );
}
