//! Retries that can repeat a POST or PATCH the upstream already processed.

use super::super::{Analyzer, Report};
use crate::model::istio::{HttpRoute, StringMatch};
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RULE: Rule = Rule {
    code: "MSH3001",
    name: "retry-non-idempotent",
    level: Level::Warning,
    summary: "A route for POST or PATCH requests that retries them after the upstream may have processed them.",
    kinds: &["VirtualService"],
    explanation: "This rule looks at routes whose match names a method (`method: {exact: POST}`, a \
        prefix or a regex) that admits POST or PATCH. Envoy retries a request on the conditions in `retryOn`. Some of them fire only after \
        the upstream received the request and may have acted on it: `5xx`, `gateway-error`, `reset`, \
        `retriable-4xx`, `retriable-status-codes` (and Istio's default `retryOn`, used when the \
        field is left out, includes `retriable-status-codes` for 503). For a POST or PATCH that means \
        a payment charged twice or an order placed twice. Limit `retryOn` to conditions where the \
        request never reached the application (`connect-failure`, `refused-stream`, `unavailable`, \
        `cancelled`), restrict the route to idempotent methods, or make the API idempotent (keys).",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: payments\nspec:\n  hosts: [payments]\n  http:\n  - match:\n    - method:\n        exact: POST\n    retries:\n      attempts: 3\n      retryOn: 5xx,connect-failure\n    route:\n    - destination:\n        host: payments\n",
        fires_at: &["spec.http[0].retries.retryOn"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.RetryNonIdempotentAnalyzer",
    rules: &[&RULE],
    run,
};

/// Retry conditions that can fire after the application saw the request.
const AFTER_PROCESSING: &[&str] = &[
    "5xx",
    "gateway-error",
    "reset",
    "reset-before-request",
    "retriable-4xx",
    "retriable-status-codes",
    "retriable-headers",
    "envoy-ratelimited",
];
/// Methods a retry can repeat harmfully.
const NON_IDEMPOTENT: &[&str] = &["POST", "PATCH"];

fn run(snapshot: &Snapshot, report: &mut Report) {
    for (object, spec) in snapshot.virtual_services() {
        for (i, route) in spec.http.iter().enumerate() {
            let Some(retries) = &route.retries else {
                continue;
            };
            if retries.attempts.unwrap_or(0) <= 0 || route.route.is_empty() {
                continue;
            }
            let methods: Vec<&str> = NON_IDEMPOTENT
                .iter()
                .copied()
                .filter(|m| route_admits_method(route, m))
                .collect();
            if methods.is_empty() {
                continue;
            }
            let risky: Vec<&str> = match retries.retry_on.as_deref() {
                None => vec!["retriable-status-codes (Istio's default)"],
                Some(list) => list
                    .split(',')
                    .map(str::trim)
                    .filter(|c| AFTER_PROCESSING.contains(c))
                    .collect(),
            };
            if risky.is_empty() {
                continue;
            }
            let path = match retries.retry_on {
                Some(_) => format!("spec.http[{i}].retries.retryOn"),
                None => format!("spec.http[{i}].retries"),
            };
            report.report_with_help(
                &RULE,
                object,
                &path,
                format!(
                    "this route retries {} requests on {}, which can repeat a request the upstream already processed",
                    methods.join("/"),
                    risky.join(", ")
                ),
                "retry only on connect-failure,refused-stream,unavailable,cancelled, or match idempotent methods only",
            );
        }
    }
}

/// Whether the route is written for `method`: some match block names a
/// method condition that admits it. Routes without method conditions are
/// left alone: they carry every method, and retrying them is the norm.
fn route_admits_method(route: &HttpRoute, method: &str) -> bool {
    route
        .matches
        .iter()
        .filter_map(|m| m.method.as_ref())
        .any(|matcher| admits(matcher, method))
}

fn admits(matcher: &StringMatch, method: &str) -> bool {
    if let Some(exact) = &matcher.exact {
        return exact == method;
    }
    if let Some(prefix) = &matcher.prefix {
        return method.starts_with(prefix.as_str());
    }
    if let Some(pattern) = &matcher.regex {
        // Full match, as Envoy's safe_regex reads it; an invalid pattern is
        // validate's finding, not this rule's.
        return crate::mesh::re2::whole_match(pattern).is_some_and(|re| re.is_match(method));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::{analyzer_tests, findings_of};

    analyzer_tests!(
        RULE,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: payments\nspec:\n  hosts: [payments]\n  http:\n  - match:\n    - method:\n        regex: GET|HEAD\n    retries:\n      attempts: 3\n      retryOn: 5xx\n    route:\n    - destination:\n        host: payments\n  - match:\n    - method:\n        exact: POST\n    retries:\n      attempts: 3\n      retryOn: connect-failure,refused-stream\n    route:\n    - destination:\n        host: payments\n  - retries:\n      attempts: 3\n      retryOn: 5xx\n    route:\n    - destination:\n        host: payments\n  - retries:\n      attempts: 0\n    route:\n    - destination:\n        host: payments\n"
    );

    #[test]
    fn istios_default_retry_on_counts_when_retry_on_is_left_out() {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: orders\nspec:\n  hosts: [orders]\n  http:\n  - match:\n    - method:\n        regex: P(OST|ATCH)\n    retries:\n      attempts: 2\n    route:\n    - destination:\n        host: orders\n";
        insta::assert_snapshot!(findings_of(&RULE, yaml));
    }
}
