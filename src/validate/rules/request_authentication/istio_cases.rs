//! Istio's own validation table for RequestAuthentication, replayed as
//! YAML, plus the jwksUri forms Go's URL parser accepts or refuses.

use super::super::authorization_policy::istio_cases::{Verdict, assert_table};
use Verdict::*;

const NO: &str = "";

/// A key set with one public RSA key.
const PUBLIC_JWKS: &str = r#"'{"keys":[{"kty":"RSA","e":"AQAB","kid":"k1","n":"xAE7eB6qugXyCAG3yhh7pkDkT65pHymX-P7KfIupjf59vsdo91bSP9C8H07pSAGQO1MV_xFj9VswgsCg4R6otmg5PV2He95lZdHtOcU5DXIg_pbhLdKXbi66GlVeK6ABZOUW3WYtnNHD-91gVuoeJT_DwtGGcp4ignkgXfkiEm4sw-4sfb4qdt5oLbyVpmW6x9cfa7vs2WTfURiCrBoUqgBo_-4WTiULmmHSGZHOjzwa8WtrtOQGsAFjIbno85jp6MnGGGZPYZbDAa_b3y5u-YpW7ypZrvD8BgtKVjgtQgZhLAGezMt0ua3DRrWnKqTZ0BJ_EyxOGuHJrLsn00fnMQ"}]}'"#;

/// The same key with its private exponent.
const PRIVATE_JWKS: &str = r#"'{"keys":[{"kty":"RSA","e":"AQAB","kid":"k1","n":"xAE7eB6qugXyCAG3yhh7pkDkT65pHymX-P7KfIupjf59vsdo91bSP9C8H07pSAGQO1MV_xFj9VswgsCg4R6otmg5PV2He95lZdHtOcU5DXIg_pbhLdKXbi66GlVeK6ABZOUW3WYtnNHD-91gVuoeJT_DwtGGcp4ignkgXfkiEm4sw-4sfb4qdt5oLbyVpmW6x9cfa7vs2WTfURiCrBoUqgBo_-4WTiULmmHSGZHOjzwa8WtrtOQGsAFjIbno85jp6MnGGGZPYZbDAa_b3y5u-YpW7ypZrvD8BgtKVjgtQgZhLAGezMt0ua3DRrWnKqTZ0BJ_EyxOGuHJrLsn00fnMQ","d":"jJVKLOMXjlSnICzfP_eWshwR_DQp1U_GBLn-bL2qf90U5GMRDg5fT7Df3M2zL3DhMzdLDIeBmh"}]}'"#;

fn rule(fields: &str) -> String {
    format!("{{jwtRules: [{{{fields}}}]}}")
}

#[test]
fn istio_table() {
    let gateway = "{group: gateway.networking.k8s.io, kind: Gateway, name: foo}";
    let good_rule = "issuer: foo.com, jwksUri: \"https://foo.com/cert\"";
    let with_rule = |rest: &str| format!("{{{rest}, jwtRules: [{{{good_rule}}}]}}");
    let cases: Vec<(&str, &str, String, Verdict)> = vec![
        ("empty spec", NO, "{}".into(), Clean),
        ("another empty spec", NO, "{selector: {}}".into(), Warn),
        (
            "dry run annotation not supported",
            "{istio.io/dry-run: \"true\"}",
            "{}".into(),
            Invalid,
        ),
        (
            "default name with non empty selector",
            NO,
            "{selector: {matchLabels: {app: httpbin}}}".into(),
            Clean,
        ),
        ("empty jwt rule", NO, "{jwtRules: [{}]}".into(), Invalid),
        // The CRD wants a non-empty issuer when one is given.
        ("empty issuer string", NO, rule("issuer: \"\""), Schema),
        (
            "no issuer, jwksUri set",
            NO,
            rule("jwksUri: \"https://foo.com/cert\""),
            Clean,
        ),
        (
            "bad JwksUri - no protocol",
            NO,
            rule("issuer: foo.com, jwksUri: foo.com"),
            Invalid,
        ),
        (
            "bad JwksUri - invalid port",
            NO,
            rule("issuer: foo.com, jwksUri: \"https://foo.com:not-a-number\""),
            Invalid,
        ),
        (
            "empty value",
            NO,
            with_rule("selector: {matchLabels: {app: httpbin, version: \"\"}}"),
            Clean,
        ),
        (
            "bad workload selector - empty key",
            NO,
            with_rule("selector: {matchLabels: {app: httpbin, \"\": v1}}"),
            Invalid,
        ),
        (
            "good targetRef",
            NO,
            with_rule(&format!("targetRef: {gateway}")),
            Clean,
        ),
        (
            "bad targetRef - empty name",
            NO,
            with_rule("targetRef: {group: gateway.networking.k8s.io, kind: Gateway}"),
            Schema,
        ),
        (
            "bad targetRef - non-empty namespace",
            NO,
            with_rule(
                "targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: foo, namespace: bar}",
            ),
            Invalid,
        ),
        (
            "bad targetRef - wrong group",
            NO,
            with_rule("targetRef: {group: wrong-group, kind: Gateway, name: foo}"),
            Invalid,
        ),
        (
            "bad targetRef - wrong kind",
            NO,
            with_rule("targetRef: {group: gateway.networking.k8s.io, kind: wrong-kind, name: foo}"),
            Invalid,
        ),
        (
            "targetRef and selector cannot both be set",
            NO,
            with_rule(&format!(
                "targetRef: {gateway}, selector: {{matchLabels: {{app: httpbin}}}}"
            )),
            Invalid,
        ),
        // The CRD requires a non-empty header name.
        (
            "bad header location",
            NO,
            rule(
                "issuer: foo.com, jwksUri: \"https://foo.com\", fromHeaders: [{name: \"\", prefix: \"Bearer \"}]",
            ),
            Schema,
        ),
        (
            "bad param location",
            NO,
            rule("issuer: foo.com, jwksUri: \"https://foo.com\", fromParams: [\"\"]"),
            Invalid,
        ),
        (
            "good",
            NO,
            rule(
                "issuer: foo.com, jwksUri: \"https://foo.com\", fromHeaders: [{name: x-foo, prefix: \"Bearer \"}]",
            ),
            Clean,
        ),
        (
            "bad cookie location",
            NO,
            rule("issuer: foo.com, jwksUri: \"https://foo.com\", fromCookies: [\"\", foo]"),
            Invalid,
        ),
        (
            "jwks ok",
            NO,
            rule(&format!(
                "issuer: foo.com, jwks: {PUBLIC_JWKS}, fromHeaders: [{{name: x-foo, prefix: \"Bearer \"}}]"
            )),
            Clean,
        ),
        (
            "jwks error",
            NO,
            rule("issuer: foo.com, jwks: foo, fromHeaders: [{name: x-foo, prefix: \"Bearer \"}]"),
            Invalid,
        ),
        (
            "jwks with private RSA key warns",
            NO,
            rule(&format!("issuer: foo.com, jwks: {PRIVATE_JWKS}")),
            Warn,
        ),
        // The CRD requires claim and header, non-empty, header in [-_A-Za-z0-9].
        (
            "null outputClaimToHeader",
            NO,
            rule("issuer: foo.com, jwksUri: \"https://foo.com\", outputClaimToHeaders: [{}]"),
            Schema,
        ),
        (
            "null claim value in outputClaimToHeader",
            NO,
            rule(
                "issuer: foo.com, jwksUri: \"https://foo.com\", outputClaimToHeaders: [{header: x-jwt-claim, claim: \"\"}]",
            ),
            Schema,
        ),
        (
            "null header value in outputClaimToHeader",
            NO,
            rule(
                "issuer: foo.com, jwksUri: \"https://foo.com\", outputClaimToHeaders: [{header: \"\", claim: sub}]",
            ),
            Schema,
        ),
        (
            "invalid header value in outputClaimToHeader",
            NO,
            rule(
                "issuer: foo.com, jwksUri: \"https://foo.com\", outputClaimToHeaders: [{header: \"abc%123\", claim: sub}]",
            ),
            Schema,
        ),
        (
            "good outputClaimToHeader",
            NO,
            rule(
                "issuer: foo.com, jwksUri: \"https://foo.com\", outputClaimToHeaders: [{header: x-jwt-claim, claim: sub}]",
            ),
            Clean,
        ),
    ];
    let cases: Vec<_> = cases
        .iter()
        .map(|(n, a, s, v)| (*n, *a, s.as_str(), *v))
        .collect();
    assert_table("RequestAuthentication", &cases);
}

/// Cases read off Istio's validation code (and the CRD's rules) rather than
/// its table.
#[test]
fn beyond_the_table() {
    let cases: Vec<(&str, String, Verdict)> = vec![
        // Go's URL parser reads a rootless rest after the scheme as opaque.
        (
            "opaque https URI",
            rule("issuer: foo.com, jwksUri: \"https:foo.com/keys\""),
            Clean,
        ),
        (
            "uppercase scheme",
            rule("issuer: foo.com, jwksUri: \"HTTPS://foo.com/keys\""),
            Clean,
        ),
        (
            "empty port",
            rule("issuer: foo.com, jwksUri: \"https://foo.com:/keys\""),
            Clean,
        ),
        (
            "bad escape in path",
            rule("issuer: foo.com, jwksUri: \"https://foo.com/%zz\""),
            Invalid,
        ),
        (
            "space in host",
            rule("issuer: foo.com, jwksUri: \"https://foo bar.com/keys\""),
            Invalid,
        ),
        (
            "ftp scheme",
            rule("issuer: foo.com, jwksUri: \"ftp://foo.com/keys\""),
            Invalid,
        ),
        // The proto name of the field is checked the same way.
        (
            "legacy jwks_uri",
            rule("jwks_uri: \"https://foo.com/keys\""),
            Clean,
        ),
        ("bad legacy jwks_uri", rule("jwks_uri: foo.com"), Invalid),
        (
            "jwks and jwksUri",
            rule(&format!(
                "issuer: foo.com, jwksUri: \"https://foo.com\", jwks: {PUBLIC_JWKS}"
            )),
            Invalid,
        ),
        (
            "null key list",
            rule("issuer: foo.com, jwks: '{\"keys\": null}'"),
            Clean,
        ),
        (
            "key list not a list",
            rule("issuer: foo.com, jwks: '{\"keys\": {}}'"),
            Invalid,
        ),
        (
            "sole key without kty",
            rule("issuer: foo.com, jwks: '{}'"),
            Invalid,
        ),
        (
            "symmetric key warns",
            rule("issuer: foo.com, jwks: '{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}'"),
            Warn,
        ),
        (
            "empty audience",
            rule("issuer: foo.com, audiences: [\"\"]"),
            Invalid,
        ),
        (
            "timeout below 1ms",
            rule("issuer: foo.com, timeout: 500us"),
            Invalid,
        ),
        (
            "timeout in ms",
            rule("issuer: foo.com, timeout: 1500ms"),
            Clean,
        ),
    ];
    let cases: Vec<_> = cases
        .iter()
        .map(|(n, s, v)| (*n, NO, s.as_str(), *v))
        .collect();
    assert_table("RequestAuthentication", &cases);
}
