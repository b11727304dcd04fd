//! Istio's own validation table for PeerAuthentication, replayed as YAML.

use super::super::authorization_policy::istio_cases::{Verdict, assert_table};
use Verdict::*;

const NO: &str = "";

#[test]
fn istio_table() {
    let cases: &[(&str, &str, &str, Verdict)] = &[
        ("empty spec", NO, "{}", Clean),
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
            Clean,
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
        ("unset mode", NO, "{mtls: {mode: UNSET}}", Clean),
        (
            "port level",
            NO,
            "{selector: {matchLabels: {app: httpbin}}, portLevelMtls: {\"8080\": {mode: UNSET}}}",
            Clean,
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
/// (`minProperties: 1`) and the webhook refuse; the schema stage reads the
/// bound from the generated schema.
#[test]
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
