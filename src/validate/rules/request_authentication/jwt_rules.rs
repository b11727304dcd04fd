//! The JWT rules of a RequestAuthentication: issuer, key set location,
//! token locations, claim headers and timeout.

use super::super::support::validate_duration;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{JwtRule, RequestAuthenticationSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "requestauthentication-jwt-rules",
    KINDS,
    "RequestAuthentication JWT rules that Istio refuses.",
    "Each JWT rule needs an `issuer` or a `jwksUri`. `jwksUri` must be an `http://` or `https://` URL \
     with a numeric port if it has one, and only one of `jwks` and `jwksUri` may be set. Inline \
     `jwks` must be a JSON Web Key Set (Istio warns when it holds private key material: only public \
     keys are needed to verify tokens). Audiences, query parameters and cookie names may not be \
     empty strings, and `timeout` must be at least 1ms, in whole milliseconds. Istio's webhook and \
     the CRD's CEL rules refuse the rest.",
    Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: jwt\n  namespace: bookinfo\nspec:\n  jwtRules:\n  - jwksUri: issuer.example.com/jwks.json\n    audiences: [\"\"]\n    timeout: 500us\n  - fromParams: [token]\n",
        fires_at: &[
            "spec.jwtRules[0].jwksUri",
            "spec.jwtRules[0].audiences[0]",
            "spec.jwtRules[0].timeout",
            "spec.jwtRules[1]",
        ],
    },
);

pub fn check(spec: &RequestAuthenticationSpec, found: &mut Findings) {
    for (i, rule) in spec.jwt_rules.iter().enumerate() {
        check_rule(rule, &format!("spec.jwtRules[{i}]"), found);
    }
}

fn check_rule(rule: &JwtRule, path: &str, found: &mut Findings) {
    // `jwks_uri` is the proto name of `jwksUri`; the API accepts both.
    let uri = [
        ("jwksUri", &rule.jwks_uri),
        ("jwks_uri", &rule.jwks_uri_legacy),
    ]
    .into_iter()
    .find_map(|(name, value)| value.as_deref().map(|v| (name, v)));
    let issuer = rule.issuer.as_deref().unwrap_or_default();
    if issuer.is_empty() && uri.is_none_or(|(_, v)| v.is_empty()) {
        found.report(path, "issuer or jwksUri must be non-empty string");
    }
    let sources = [
        rule.jwks_uri.is_some(),
        rule.jwks_uri_legacy.is_some(),
        rule.jwks.is_some(),
    ];
    if sources.iter().filter(|s| **s).count() > 1 {
        found.report(path, "only one of jwks or jwksUri can be set");
    }
    if let Some((name, value)) = uri
        && let Err(reason) = validate_jwks_uri(value)
    {
        found.report(format!("{path}.{name}"), reason);
    }
    if let Some(jwks) = &rule.jwks {
        check_jwks(jwks, &format!("{path}.jwks"), found);
    }
    let lists = [
        ("audiences", &rule.audiences, "audience"),
        ("fromParams", &rule.from_params, "location query"),
        ("fromCookies", &rule.from_cookies, "cookie name"),
    ];
    for (name, values, what) in lists {
        for (k, value) in values.iter().enumerate() {
            if value.is_empty() {
                found.report(
                    format!("{path}.{name}[{k}]"),
                    format!("{what} must be non-empty string"),
                );
            }
        }
    }
    if let Some(timeout) = &rule.timeout
        && let Err(reason) = validate_duration(timeout)
    {
        found.report(format!("{path}.timeout"), reason);
    }
}

/// What Go's URL parser and Istio's jwks URI check refuse: a scheme other
/// than http or https, or a port that is not a number.
fn validate_jwks_uri(uri: &str) -> Result<(), String> {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return Err(format!(
            "jwksUri {uri:?}: url must have scheme http:// or https://"
        ));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!(
            "jwksUri {uri:?}: URI scheme {scheme:?} is not supported"
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // An IPv6 literal is bracketed; the port follows the closing bracket.
    let after_host = match host_port.rfind(']') {
        Some(end) => &host_port[end + 1..],
        None => host_port,
    };
    if let Some((_, port)) = after_host.rsplit_once(':')
        && !port.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("jwksUri {uri:?}: invalid port {port:?}"));
    }
    Ok(())
}

/// Key types a JSON Web Key may have.
const KEY_TYPES: &[&str] = &["RSA", "EC", "OKP", "oct"];

/// Inline keys: a JWK Set (`{"keys": [...]}`) or a single JWK, each with a
/// known `kty`. Private material is only warned about.
fn check_jwks(jwks: &str, path: &str, found: &mut Findings) {
    let keys = match parse_jwks(jwks) {
        Ok(keys) => keys,
        Err(reason) => {
            found.report(path, format!("jwks parse error: {reason}"));
            return;
        }
    };
    for (i, key) in keys.iter().enumerate() {
        let kty = key.get("kty").and_then(|k| k.as_str()).unwrap_or_default();
        if kty == "oct" || key.get("d").is_some() {
            found.warn(
                path,
                format!("jwks key at index {i} contains private key material; only public keys are used for verification"),
            );
        }
    }
}

fn parse_jwks(jwks: &str) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, String> {
    let value: serde_json::Value = serde_json::from_str(jwks).map_err(|e| e.to_string())?;
    let keys = match value.get("keys") {
        Some(serde_json::Value::Array(keys)) => keys.clone(),
        Some(_) => return Err("\"keys\" must be an array".into()),
        None => vec![value],
    };
    keys.into_iter()
        .enumerate()
        .map(|(i, key)| match key {
            serde_json::Value::Object(key) => {
                let kty = key.get("kty").and_then(|k| k.as_str()).unwrap_or_default();
                if KEY_TYPES.contains(&kty) {
                    Ok(key)
                } else {
                    Err(format!("key at index {i}: invalid key type {kty:?}"))
                }
            }
            _ => Err(format!("key at index {i} is not a JSON object")),
        })
        .collect()
}

#[cfg(test)]
mod cases {
    use super::validate_jwks_uri;
    use crate::validate::test_support::findings;

    fn rule(fields: &str) -> String {
        format!(
            "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {{name: r, namespace: ns}}\nspec:\n  jwtRules:\n  - {fields}\n"
        )
    }

    #[test]
    fn jwks_uris() {
        assert!(validate_jwks_uri("https://foo.com/cert").is_ok());
        assert!(validate_jwks_uri("http://foo.com:8080/cert").is_ok());
        assert!(validate_jwks_uri("https://[::1]:443/k").is_ok());
        assert!(validate_jwks_uri("HTTPS://foo.com").is_ok());
        assert!(validate_jwks_uri("foo.com").is_err());
        assert!(validate_jwks_uri("ftp://foo.com").is_err());
        assert!(validate_jwks_uri("https://foo.com:not-a-number").is_err());
    }

    #[test]
    fn accepts_good_rules() {
        for fields in [
            "{issuer: foo.com, jwksUri: \"https://foo.com\", fromHeaders: [{name: x-jwt, prefix: \"Bearer \"}], fromParams: [token], fromCookies: [session]}",
            "{jwksUri: \"https://foo.com/cert\"}",
            "{issuer: foo.com, jwks: '{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"xAE7\"}]}', timeout: 2s}",
            "{issuer: foo.com, outputPayloadToHeader: x-jwt-payload, spaceDelimitedClaims: [scope]}",
        ] {
            assert_eq!(findings(&rule(fields)), "", "{fields}");
        }
    }

    #[test]
    fn refuses_bad_rules() {
        for fields in [
            "{fromParams: [token]}",
            "{issuer: foo.com, jwks: foo}",
            "{issuer: foo.com, jwks: '{\"keys\":[{\"kty\":\"XYZ\"}]}'}",
            "{issuer: foo.com, jwks: '{}', jwksUri: \"https://foo.com\"}",
            "{issuer: foo.com, fromParams: [\"\"]}",
            "{issuer: foo.com, fromCookies: [\"\"]}",
            "{issuer: foo.com, timeout: 1.5ms}",
        ] {
            assert!(findings(&rule(fields)).contains("IST0"), "{fields}");
        }
    }

    #[test]
    fn warns_on_private_keys() {
        let yaml =
            rule("{issuer: foo.com, jwks: '{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}'}");
        assert!(findings(&yaml).contains("private key material"));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
