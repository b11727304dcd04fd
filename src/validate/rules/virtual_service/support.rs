//! Checks several VirtualService rule groups share: string matches, label
//! selectors, destinations and the header names Envoy accepts.

use super::super::Findings;
use super::super::support::{
    is_dns1123_label, validate_port, validate_regex, validate_wildcard_domain,
};
use crate::loader::push_key;
use crate::model::StringMap;
use crate::model::istio::{Destination, StringMatch};

/// Envoy refuses larger regexes; Istio approximates RE2's program size by
/// the pattern's length.
const MAX_REGEX_LENGTH: usize = 1024;

/// `path` with a map key appended, bracketed when the key needs it.
pub fn key_path(path: &str, key: &str) -> String {
    let mut out = path.to_string();
    push_key(&mut out, key);
    out
}

/// Whether an optional string is set to something: Istio treats `""` as unset.
pub fn is_set(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

/// A string match in a request match: a prefix may not be empty (Envoy
/// refuses it), and a regex must be a valid, not too long, RE2 pattern.
pub fn check_string_match(matcher: &StringMatch, path: &str, what: &str, found: &mut Findings) {
    if matcher.prefix.as_deref() == Some("") {
        found.report(
            format!("{path}.prefix"),
            format!("{what}: prefix string match should not be empty"),
        );
    }
    check_regex_match(matcher, path, what, found);
}

/// Only the regex part of a string match (a URI may match an empty prefix).
pub fn check_regex_match(matcher: &StringMatch, path: &str, what: &str, found: &mut Findings) {
    let Some(regex) = &matcher.regex else {
        return;
    };
    let path = format!("{path}.regex");
    if regex.is_empty() {
        found.report(
            path,
            format!("{what}: regex string match should not be empty"),
        );
    } else if let Err(reason) = check_regex(regex) {
        found.report(path, format!("{what}: {reason}"));
    }
}

/// A regex Envoy will load: at most 1024 characters, RE2 syntax.
pub fn check_regex(regex: &str) -> Result<(), String> {
    if regex.len() > MAX_REGEX_LENGTH {
        return Err(format!(
            "regex is too large, max length allowed is {MAX_REGEX_LENGTH}"
        ));
    }
    validate_regex(regex)
}

/// Kubernetes label syntax for `sourceLabels`: keys are an optional DNS
/// prefix and `/`, then a qualified name; values a qualified name or empty.
pub fn check_labels(labels: &StringMap, path: &str, found: &mut Findings) {
    for (key, value) in labels {
        let at = key_path(path, key);
        if let Err(reason) = check_label_key(key) {
            found.report(at.clone(), reason);
        }
        if !value.is_empty() && !is_qualified_name(value) {
            found.report(at, format!("invalid tag value: {value:?}"));
        }
    }
}

fn check_label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    let prefix_ok = prefix.is_none_or(|p| !p.is_empty() && p.split('.').all(is_label_syntax));
    if !prefix_ok || !is_qualified_name(name) {
        return Err(format!("invalid tag key: {key:?}"));
    }
    if prefix.is_some_and(|p| p.len() > 253) {
        return Err(format!("invalid tag key: {key:?} (DNS prefix is too long)"));
    }
    if name.len() > 63 {
        return Err(format!("invalid tag key: {key:?} (name is too long)"));
    }
    Ok(())
}

/// A DNS label's characters, without the 63-character bound.
fn is_label_syntax(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// Alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
fn is_qualified_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// An HTTP header name (RFC 7230 token characters).
pub fn is_header_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
}

/// A route destination, mirror or mirror policy target: a host (not `*`),
/// a subset (when not empty) named as a DNS label, a port in range.
pub fn check_destination(destination: &Destination, path: &str, found: &mut Findings) {
    let host = destination.host.as_deref().unwrap_or_default();
    if host == "*" {
        found.report(
            format!("{path}.host"),
            format!("invalid destination host {host}"),
        );
    } else if let Err(reason) = validate_wildcard_domain(host) {
        found.report(format!("{path}.host"), reason);
    }
    // An empty subset is the protobuf default: no subset.
    if let Some(subset) = destination.subset.as_deref().filter(|s| !s.is_empty())
        && !is_dns1123_label(subset)
    {
        found.report(
            format!("{path}.subset"),
            format!("subset name is invalid: {subset}"),
        );
    }
    if let Some(port) = &destination.port
        && let Err(reason) = validate_port(port.number.unwrap_or_default())
    {
        found.report(format!("{path}.port"), reason);
    }
}

/// Whether a header key is one of the `@request.auth.claims` forms that
/// route on a JWT claim: `@request.auth.claims.sub` or `...claims[sub]`.
pub fn is_jwt_claim_route(name: &str) -> bool {
    const PREFIX: &str = "@request.auth.claims";
    let Some(head) = name.get(..PREFIX.len()) else {
        return false;
    };
    if !head.eq_ignore_ascii_case(PREFIX) {
        return false;
    }
    let rest = &name[PREFIX.len()..];
    (rest.starts_with('.') && rest.len() > 1)
        || (rest.starts_with('[') && rest.ends_with(']') && rest.len() > 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_keys_follow_kubernetes() {
        assert!(check_label_key("app").is_ok());
        assert!(check_label_key("example.com/app_name").is_ok());
        assert!(check_label_key("a/b/c").is_err());
        assert!(check_label_key("/app").is_err());
        assert!(check_label_key("-app").is_err());
        assert!(check_label_key(&"a".repeat(64)).is_err());
        assert!(is_qualified_name("v1.2_b"));
        assert!(!is_qualified_name("v1."));
    }

    #[test]
    fn jwt_claim_keys() {
        assert!(is_jwt_claim_route("@request.auth.claims.sub"));
        assert!(is_jwt_claim_route("@Request.Auth.Claims[groups]"));
        assert!(!is_jwt_claim_route("@request.auth.claims."));
        assert!(!is_jwt_claim_route("@request.auth.claims[]"));
        assert!(!is_jwt_claim_route("x-user"));
        assert!(!is_jwt_claim_route("é"));
    }
}
