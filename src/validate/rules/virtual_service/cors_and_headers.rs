//! CORS policies and header manipulation (on routes and on destinations).

use super::super::support::validate_duration;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use super::support::{check_regex_match, is_header_token, key_path};
use crate::model::istio::{CorsPolicy, HeaderOperations, Headers, VirtualServiceSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-cors-headers",
    KINDS,
    "CORS policies or header operations Istio refuses.",
    "In `corsPolicy`, each `allowOrigins` entry needs a non-empty exact, prefix or regex value (a regex \
     in RE2 syntax), `allowMethods` are HTTP methods in upper case (`GET`, `POST`, ... or `*`), \
     `allowHeaders` and `exposeHeaders` are header names or `*`, and `maxAge` is a duration in whole \
     seconds. In `headers` (of a route or of a destination), header names may not be empty; \
     pseudo-headers (`:path`) cannot be changed, and `Host` only by adding or setting a request header; \
     values may not contain control characters and each `%` must be escaped as `%%` or open a complete \
     Envoy `%VARIABLE%`. Istio's webhook refuses the resource otherwise.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n      headers:\n        response:\n          set:\n            x-ratio: \"50%\"\n    corsPolicy:\n      allowOrigins:\n      - exact: \"\"\n      allowMethods: [get]\n      maxAge: 1500ms\n    headers:\n      request:\n        remove: [\":path\"]\n",
        fires_at: &[
            "spec.http[0].route[0].headers.response.set.x-ratio",
            "spec.http[0].corsPolicy.allowOrigins[0]",
            "spec.http[0].corsPolicy.allowMethods[0]",
            "spec.http[0].corsPolicy.maxAge",
            "spec.http[0].headers.request.remove[0]",
        ],
    },
);

/// The methods Go's `net/http` names, and `*`.
const CORS_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*",
];

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    for (i, route) in spec.http.iter().enumerate() {
        let path = format!("spec.http[{i}]");
        if let Some(headers) = &route.headers {
            check_headers(headers, &format!("{path}.headers"), found);
        }
        for (j, destination) in route.route.iter().enumerate() {
            if let Some(headers) = &destination.headers {
                check_headers(headers, &format!("{path}.route[{j}].headers"), found);
            }
        }
        if let Some(policy) = &route.cors_policy {
            check_cors(policy, &format!("{path}.corsPolicy"), found);
        }
    }
}

fn check_cors(policy: &CorsPolicy, path: &str, found: &mut Findings) {
    for (k, origin) in policy.allow_origins.iter().enumerate() {
        let at = format!("{path}.allowOrigins[{k}]");
        let value = [&origin.exact, &origin.prefix, &origin.regex]
            .into_iter()
            .find_map(|v| v.as_deref())
            .unwrap_or_default();
        if value.is_empty() {
            found.report(at, "'' is not a valid match type for CORS allow origins");
        } else {
            check_regex_match(origin, &at, "corsPolicy.allowOrigins", found);
        }
    }
    for (k, method) in policy.allow_methods.iter().enumerate() {
        if !CORS_METHODS.contains(&method.as_str()) {
            found.report(
                format!("{path}.allowMethods[{k}]"),
                format!("{method:?} is not a supported HTTP method"),
            );
        }
    }
    let header_lists = [
        ("allowHeaders", &policy.allow_headers),
        ("exposeHeaders", &policy.expose_headers),
    ];
    for (field, names) in header_lists {
        for (k, name) in names.iter().enumerate() {
            if name != "*" && !is_header_token(name) {
                let reason = if name.is_empty() {
                    "header name cannot be empty".to_string()
                } else {
                    format!("header name {name} is not a valid header name")
                };
                found.report(format!("{path}.{field}[{k}]"), reason);
            }
        }
    }
    if let Some(max_age) = &policy.max_age {
        let at = format!("{path}.maxAge");
        match validate_duration(max_age) {
            Err(reason) => found.report(at, reason),
            Ok(duration) if duration.subsec_nanos() > 0 => {
                found.report(
                    at,
                    format!("max_age duration {max_age:?} is accurate only to seconds precision"),
                );
            }
            Ok(_) => {}
        }
    }
}

fn check_headers(headers: &Headers, path: &str, found: &mut Findings) {
    if let Some(request) = &headers.request {
        check_operations(request, &format!("{path}.request"), true, found);
    }
    if let Some(response) = &headers.response {
        check_operations(response, &format!("{path}.response"), false, found);
    }
}

/// Adding or setting a request header may change the authority (`Host`,
/// `:authority`); nothing else may touch it or another pseudo-header.
fn check_operations(
    operations: &HeaderOperations,
    path: &str,
    request: bool,
    found: &mut Findings,
) {
    for (field, headers) in [("add", &operations.add), ("set", &operations.set)] {
        for (name, value) in headers {
            let at = key_path(&format!("{path}.{field}"), name);
            let name_check = if request {
                check_name_allowing_authority(name)
            } else {
                check_name(name)
            };
            if let Err(reason) = name_check {
                found.report(at.clone(), reason);
            }
            if let Err(reason) = check_value(value) {
                found.report(at, reason);
            }
        }
    }
    for (k, name) in operations.remove.iter().enumerate() {
        if let Err(reason) = check_name(name) {
            found.report(format!("{path}.remove[{k}]"), reason);
        }
    }
}

fn check_name_allowing_authority(name: &str) -> Result<(), String> {
    let authority = name.eq_ignore_ascii_case(":authority") || name.eq_ignore_ascii_case("host");
    if name.is_empty() {
        Err("header name cannot be empty".into())
    } else if name.starts_with(':') && !authority {
        Err(format!(
            "invalid header {name:?}: header cannot have \":\" prefix"
        ))
    } else {
        Ok(())
    }
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        Err("header name cannot be empty".into())
    } else if name.eq_ignore_ascii_case("host") {
        Err(format!("invalid header {name:?}: cannot set Host header"))
    } else if name.starts_with(':') {
        Err(format!(
            "invalid header {name:?}: header cannot have \":\" prefix"
        ))
    } else {
        Ok(())
    }
}

/// A header value as Envoy parses it: no control characters but tab, and
/// `%` either doubled or opening a `%VARIABLE%` or `%VARIABLE(args)%`.
fn check_value(value: &str) -> Result<(), String> {
    if value
        .chars()
        .any(|c| c != '\t' && (c < ' ' || c == '\u{7f}'))
    {
        return Err(format!(
            "header value configuration {value:?} is invalid: control characters are not allowed"
        ));
    }
    check_value_variables(value)
        .map_err(|reason| format!("header value configuration {value:?} is invalid: {reason}"))
}

/// Where the parser of a header value is (Envoy's `HeaderParser` states).
#[derive(Clone, Copy, PartialEq)]
enum State {
    Literal,
    VariableName,
    ExpectArray,
    ExpectString,
    InString,
    ExpectDelimiterOrEnd,
    ExpectArgsEnd,
    ExpectVariableEnd,
}

fn check_value_variables(value: &str) -> Result<(), &'static str> {
    let bytes = value.as_bytes();
    let mut state = State::Literal;
    let mut pos = 0;
    while pos < bytes.len() {
        let ch = bytes[pos];
        let has_next = pos + 1 < bytes.len();
        state = match state {
            State::Literal if ch != b'%' => State::Literal,
            State::Literal if !has_next => return Err("un-escaped %"),
            State::Literal if bytes[pos + 1] == b'%' => {
                pos += 1;
                State::Literal
            }
            State::Literal => State::VariableName,
            State::VariableName => match ch {
                b'%' => State::Literal,
                b'(' => State::ExpectArray,
                _ => State::VariableName,
            },
            State::ExpectArray => match ch {
                b'[' => State::ExpectString,
                b' ' => State::ExpectArray,
                _ => State::InString,
            },
            State::ExpectDelimiterOrEnd => match ch {
                b',' => State::ExpectString,
                b']' => State::ExpectArgsEnd,
                b' ' => State::ExpectDelimiterOrEnd,
                _ => return Err("expecting ',', ']', or whitespace"),
            },
            State::ExpectString => match ch {
                b'"' => State::InString,
                b' ' => State::ExpectString,
                _ => return Err("expecting '\"'"),
            },
            State::InString => match ch {
                b'\\' if !has_next => return Err("un-terminated backslash in JSON string"),
                b'\\' => {
                    pos += 1;
                    State::InString
                }
                b')' => State::ExpectVariableEnd,
                b'"' => State::ExpectDelimiterOrEnd,
                _ => State::InString,
            },
            State::ExpectArgsEnd => match ch {
                b')' => State::ExpectVariableEnd,
                b' ' => State::ExpectArgsEnd,
                _ => return Err("expecting ')' or whitespace"),
            },
            State::ExpectVariableEnd => match ch {
                b'%' => State::Literal,
                b' ' => State::ExpectVariableEnd,
                _ => return Err("expecting '%' or whitespace"),
            },
        };
        pos += 1;
    }
    if state == State::Literal {
        Ok(())
    } else {
        Err("un-terminated variable expression")
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    use super::check_value;
    #[test]
    fn header_values_follow_envoy() {
        for ok in [
            "foo",
            "%HOSTNAME%",
            "100%%",
            "prefix %HOSTNAME% suffix",
            "%REQ(x-id)%",
            "%PER_REQUEST_STATE([\"a\", \"b\"])%",
            "%DOWNSTREAM_PEER_CERT_V_END(%b %d %H:%M:%S %Y %Z)%",
            "%DYNAMIC_METADATA(com.test.my_filter)%",
            "a\tb",
            "",
        ] {
            assert!(check_value(ok).is_ok(), "{ok}");
        }
        for bad in [
            "abc%123",
            "%START_TIME%%",
            "50%",
            "a\nb",
            "%REQ([\"a\" x])%",
            "%REQ(a) x%",
        ] {
            assert!(check_value(bad).is_err(), "{bad}");
        }
    }

    fn run(extra: &str) -> String {
        super::super::route_findings(&super::RULE, extra)
    }

    #[test]
    fn valid_policies_pass() {
        assert_eq!(
            run(
                "    corsPolicy:\n      allowOrigins: [{prefix: \"https://\"}, {regex: \".*\\\\.example\\\\.com\"}]\n      allowMethods: [\"*\", OPTIONS]\n      allowHeaders: [\"*\", x-custom]\n      exposeHeaders: [x-id]\n      maxAge: 2m\n    headers:\n      request:\n        set: {host: a.example, x-id: \"%REQ(x-request-id)%\"}\n      response:\n        remove: [x-powered-by]\n"
            ),
            ""
        );
    }

    #[test]
    fn invalid_policies_fail() {
        insta::assert_snapshot!(run(
            "    corsPolicy:\n      allowOrigins: [{regex: \"(\"}]\n      allowHeaders: [\"\", \"x y\"]\n      exposeHeaders: [\"a,b\"]\n      maxAge: 0s\n    headers:\n      request:\n        add: {\":path\": /x}\n      response:\n        set: {Host: a}\n        add: {x-a: \"%BAD\"}\n"
        ));
    }
}
