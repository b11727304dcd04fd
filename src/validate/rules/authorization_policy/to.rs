//! The `to` operations of AuthorizationPolicy rules.

use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::values::{ValueCheck, check_values, not_empty, validate_port_value};
use crate::model::istio::{AuthorizationPolicySpec, Operation};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "authorizationpolicy-to",
    KINDS,
    "AuthorizationPolicy rule operations that Istio refuses.",
    "Each `to` entry needs a non-empty `operation`. Values may not be empty strings, `ports` and \
     `notPorts` are decimal numbers from 0 to 65535, and a path that uses a template (`{*}` one \
     segment, `{**}` any number of segments) may have `{**}` only as its last operator, no other \
     braces, and only URL path characters in its literal segments. Istio's webhook refuses the rest.",
    Example {
        yaml: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-api\n  namespace: bookinfo\nspec:\n  rules:\n  - to:\n    - operation:\n        ports: [\"http\"]\n        paths: [\"/api/{**}/{*}\", \"\"]\n    - {}\n",
        fires_at: &[
            "spec.rules[0].to[0].operation.ports[0]",
            "spec.rules[0].to[0].operation.paths[0]",
            "spec.rules[0].to[0].operation.paths[1]",
            "spec.rules[0].to[1]",
        ],
    },
);

pub fn check(spec: &AuthorizationPolicySpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        for (j, to) in rule.to.iter().enumerate() {
            let path = format!("spec.rules[{i}].to[{j}]");
            match &to.operation {
                Some(operation) => check_operation(operation, &format!("{path}.operation"), found),
                None => found.report(
                    path,
                    format!("`to.operation` must not be nil, found at rule {i}"),
                ),
            }
        }
    }
}

fn check_operation(operation: &Operation, path: &str, found: &mut Findings) {
    let fields: [(&str, &Vec<String>, ValueCheck); 8] = [
        ("hosts", &operation.hosts, not_empty),
        ("notHosts", &operation.not_hosts, not_empty),
        ("methods", &operation.methods, not_empty),
        ("notMethods", &operation.not_methods, not_empty),
        ("ports", &operation.ports, port),
        ("notPorts", &operation.not_ports, port),
        ("paths", &operation.paths, path_value),
        ("notPaths", &operation.not_paths, path_value),
    ];
    if fields.iter().all(|(_, values, _)| values.is_empty()) {
        found.report(path, "`to.operation` must not be empty");
        return;
    }
    check_values(&fields, path, found);
}

fn port(value: &str) -> Result<(), String> {
    not_empty(value)?;
    validate_port_value(value)
}

fn path_value(value: &str) -> Result<(), String> {
    not_empty(value)?;
    validate_path_template(value)
}

const MATCH_ONE: &str = "{*}";
const MATCH_ANY: &str = "{**}";

/// Envoy's URI templates: `{*}` matches one segment, `{**}` the rest, so
/// it must come last; literal segments of a templated path must be RFC 3986
/// path characters.
fn validate_path_template(path: &str) -> Result<(), String> {
    let templated = path.contains(MATCH_ONE) || path.contains(MATCH_ANY);
    let mut seen_match_any = false;
    for segment in path.trim_matches('/').split('/') {
        if segment == MATCH_ONE || segment == MATCH_ANY {
            if seen_match_any {
                return Err(format!(
                    "invalid or unsupported path {path}: {{**}} is not the last operator"
                ));
            }
            seen_match_any = segment == MATCH_ANY;
            continue;
        }
        if segment.contains(['{', '}']) {
            return Err(format!(
                "invalid or unsupported path {path}: contains '{{' or '}}' beyond a supported path template"
            ));
        }
        if templated && !is_path_literal(segment) {
            return Err(format!(
                "invalid or unsupported path {path}: contains segment {segment:?} with invalid string literal"
            ));
        }
    }
    Ok(())
}

/// RFC 3986 `pchar`s (unreserved, percent-encoded, sub-delims, `:`, `@`).
fn is_path_literal(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%!$&'()+,;:@=".contains(&b))
}

#[cfg(test)]
mod cases {
    use super::validate_path_template;

    #[test]
    fn path_templates() {
        assert!(validate_path_template("/api/{*}/items").is_ok());
        assert!(validate_path_template("/api/{**}").is_ok());
        assert!(validate_path_template("/api/{*}/{**}").is_ok());
        assert!(validate_path_template("/api/*").is_ok());
        assert!(validate_path_template("/api/{**}/x").is_ok());
        assert!(validate_path_template("/api/{**}/{*}").is_err());
        assert!(validate_path_template("/api/{id}").is_err());
        assert!(validate_path_template("/api/{*}/a*b").is_err());
        assert!(validate_path_template("/a//{*}").is_err());
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
