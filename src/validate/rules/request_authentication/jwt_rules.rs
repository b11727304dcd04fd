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

/// What Istio's jwks URI check (Go's `url.Parse`, then the scheme and the
/// port) and the CRD's `url(self).getScheme()` rule refuse.
fn validate_jwks_uri(uri: &str) -> Result<(), String> {
    let scheme = parse_go_url(uri).map_err(|reason| format!("jwksUri {uri:?}: {reason}"))?;
    if scheme.is_empty() {
        return Err(format!(
            "jwksUri {uri:?}: url must have scheme http:// or https://"
        ));
    }
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "jwksUri {uri:?}: URI scheme {scheme:?} is not supported"
        ));
    }
    Ok(())
}

/// The parts of Go's `url.Parse` that can fail, for an absolute URL; returns
/// the scheme, lowercased (empty when there is none).
fn parse_go_url(uri: &str) -> Result<String, String> {
    if uri.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("invalid control character in URL".into());
    }
    let (uri, fragment) = uri.split_once('#').unwrap_or((uri, ""));
    check_escapes(fragment)?;
    let (scheme, rest) = split_scheme(uri)?;
    let rest = rest.split_once('?').map_or(rest, |(before, _)| before);
    if scheme.is_empty() || !rest.starts_with('/') {
        // Without a scheme the URL is refused anyway; with one, a rootless
        // rest is opaque and not parsed further.
        return Ok(scheme);
    }
    let path = match rest.strip_prefix("//") {
        Some(after) => {
            let (authority, path) = after.find('/').map_or((after, ""), |i| after.split_at(i));
            check_authority(authority)?;
            path
        }
        None => rest,
    };
    check_escapes(path)?;
    Ok(scheme)
}

/// Go's `getScheme`: letters, then letters, digits, `+`, `-` or `.`, up to
/// the first `:`. Anything else before a `:` means there is no scheme.
fn split_scheme(uri: &str) -> Result<(String, &str), String> {
    for (i, b) in uri.bytes().enumerate() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((uri[..i].to_ascii_lowercase(), &uri[i + 1..])),
            _ => break,
        }
    }
    Ok((String::new(), uri))
}

/// `userinfo@host:port`: the user information in the characters Go allows,
/// a host of URL host characters (or a bracketed IPv6 literal), and a port
/// of digits that fits Go's `int`.
fn check_authority(authority: &str) -> Result<(), String> {
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let port = if host.starts_with('[') {
        let Some(end) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let zone = host[..end].find("%25").unwrap_or(end);
        check_host_chars(&host[..zone])?;
        check_escapes(&host[zone..end])?;
        &host[end + 1..]
    } else {
        let port_at = host.rfind(':').unwrap_or(host.len());
        check_host_chars(&host[..port_at])?;
        &host[port_at..]
    };
    if let Some(digits) = port.strip_prefix(':') {
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("invalid port {port:?} after host"));
        }
        if !digits.is_empty() && digits.parse::<i64>().is_err() {
            return Err(format!("port {digits:?} is out of range"));
        }
    } else if !port.is_empty() {
        return Err(format!("invalid port {port:?} after host"));
    }
    if let Some(userinfo) = userinfo {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c);
        if !userinfo.chars().all(allowed) {
            return Err("invalid userinfo".into());
        }
        check_escapes(userinfo)?;
    }
    Ok(())
}

/// A host's ASCII characters must be ones a URL host may hold; `%` escapes
/// stand only for non-ASCII bytes (or `%25`).
fn check_host_chars(host: &str) -> Result<(), String> {
    check_escapes(host)?;
    let bytes = host.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let fine =
            b >= 0x80 || b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:[]<>\"%".contains(&b);
        if !fine {
            return Err(format!("invalid character {:?} in host name", b as char));
        }
        if b == b'%' && bytes[i + 1] < b'8' && &bytes[i..i + 3] != b"%25" {
            return Err(format!("invalid URL escape {:?}", &host[i..i + 3]));
        }
    }
    Ok(())
}

/// Every `%` starts an escape of two hexadecimal digits.
fn check_escapes(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            let end = (i + 3).min(text.len());
            return Err(format!("invalid URL escape {:?}", &text[i..end]));
        }
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
        // A null key list decodes as an empty one.
        Some(serde_json::Value::Null) => Vec::new(),
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
        // Go's parser takes these.
        assert!(validate_jwks_uri("https:foo.com").is_ok());
        assert!(validate_jwks_uri("http:/keys").is_ok());
        assert!(validate_jwks_uri("https://foo.com:/k").is_ok());
        assert!(validate_jwks_uri("https://user:pa%20ss@foo.com/k?x=%zz#top").is_ok());
        assert!(validate_jwks_uri("https://[fe80::1%25eth0]:8443/k").is_ok());
        assert!(validate_jwks_uri("https://b\u{fc}cher.example/k").is_ok());
        // And refuses these.
        assert!(validate_jwks_uri("://foo.com").is_err());
        assert!(validate_jwks_uri("https://foo.com/%zz").is_err());
        assert!(validate_jwks_uri("https://foo.com/k#%g1").is_err());
        assert!(validate_jwks_uri("https://foo bar.com/k").is_err());
        assert!(validate_jwks_uri("https://foo.com/\tk").is_err());
        assert!(validate_jwks_uri("https://fo%41o.com/k").is_err());
        assert!(validate_jwks_uri("https://us er@foo.com/k").is_err());
        assert!(validate_jwks_uri("https://[::1/k").is_err());
        assert!(validate_jwks_uri("https://[::1]x/k").is_err());
        assert!(validate_jwks_uri("https://foo.com:99999999999999999999/k").is_err());
    }

    #[test]
    fn accepts_good_rules() {
        for fields in [
            "{issuer: foo.com, jwksUri: \"https://foo.com\", fromHeaders: [{name: x-jwt, prefix: \"Bearer \"}], fromParams: [token], fromCookies: [session]}",
            "{jwksUri: \"https://foo.com/cert\"}",
            "{issuer: foo.com, jwks: '{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"xAE7\"}]}', timeout: 2s}",
            "{issuer: foo.com, outputPayloadToHeader: x-jwt-payload, spaceDelimitedClaims: [scope]}",
            "{issuer: foo.com, jwks: '{\"keys\": null}'}",
            "{issuer: foo.com, presence: REQUIRED}",
            "{issuer: foo.com, presence: OPTIONAL}",
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
        // `presence` is an enum of the CRD: the schema stage refuses others.
        let mandatory = findings(&rule("{issuer: foo.com, presence: MANDATORY}"));
        assert!(mandatory.contains("MSH1003"), "{mandatory}");
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
