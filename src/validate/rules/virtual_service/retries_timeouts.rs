//! Route timeouts and retry policies.

use super::super::support::validate_duration;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{HttpRetry, VirtualServiceSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-retries-timeouts",
    KINDS,
    "HTTP route timeouts or retry policies Istio refuses.",
    "`timeout`, `retries.perTryTimeout` and `retries.backoff` must be durations of at least 1ms in whole \
     milliseconds (the CRD's CEL rules and the webhook both check). `retries.attempts` may not be \
     negative, and with `attempts` 0 (retries off, also the default when it is left out) a \
     `perTryTimeout`, `retryOn` or `retryRemoteLocalities` makes no sense and is refused. `retryOn` is a \
     comma-separated list, without spaces, of Envoy retry conditions (`5xx`, `gateway-error`, `reset`, \
     `reset-before-request`, `connect-failure`, `retriable-4xx`, `refused-stream`, \
     `retriable-status-codes`, `retriable-headers`, `envoy-ratelimited`, `http3-post-connect-failure`), \
     gRPC conditions (`cancelled`, `deadline-exceeded`, `internal`, `resource-exhausted`, \
     `unavailable`) or HTTP status codes such as `503`.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n    timeout: 0.5ms\n    retries:\n      attempts: 3\n      perTryTimeout: 2s\n      retryOn: \"5xx, unavailable,599\"\n",
        fires_at: &[
            "spec.http[0].timeout",
            "spec.http[0].retries.retryOn",
            "spec.http[0].retries.retryOn",
        ],
    },
);

/// The retry conditions Envoy knows: `x-envoy-retry-on` for HTTP and
/// `x-envoy-retry-grpc-on` for gRPC.
const RETRY_ON_POLICIES: &[&str] = &[
    "5xx",
    "gateway-error",
    "reset",
    "reset-before-request",
    "connect-failure",
    "retriable-4xx",
    "refused-stream",
    "retriable-status-codes",
    "retriable-headers",
    "envoy-ratelimited",
    "http3-post-connect-failure",
    "cancelled",
    "deadline-exceeded",
    "internal",
    "resource-exhausted",
    "unavailable",
];

/// The status codes Go's `net/http` names; Istio accepts these in `retryOn`.
const KNOWN_STATUS_CODES: &[u16] = &[
    100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304,
    305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415,
    416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505,
    506, 507, 508, 510, 511,
];

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    for (i, route) in spec.http.iter().enumerate() {
        let path = format!("spec.http[{i}]");
        if let Some(timeout) = &route.timeout {
            check_duration(timeout, &format!("{path}.timeout"), found);
        }
        if let Some(retries) = &route.retries {
            check_retries(retries, &format!("{path}.retries"), found);
        }
    }
}

fn check_duration(text: &str, path: &str, found: &mut Findings) {
    if let Err(reason) = validate_duration(text) {
        found.report(path, reason);
    }
}

fn check_retries(retries: &HttpRetry, path: &str, found: &mut Findings) {
    let attempts = retries.attempts.unwrap_or_default();
    if attempts < 0 {
        found.report(
            format!("{path}.attempts"),
            format!("attempts cannot be negative (it is {attempts})"),
        );
    }
    let retry_on = retries.retry_on.as_deref().unwrap_or_default();
    if attempts == 0
        && (retries.per_try_timeout.is_some()
            || !retry_on.is_empty()
            || retries.retry_remote_localities.is_some())
    {
        let at = if retries.attempts.is_some() {
            format!("{path}.attempts")
        } else {
            path.to_string()
        };
        found.report(
            at,
            "http retry policy configured when attempts are set to 0 (disabled)",
        );
    }
    if let Some(timeout) = &retries.per_try_timeout {
        check_duration(timeout, &format!("{path}.perTryTimeout"), found);
    }
    if !retry_on.is_empty() {
        // Istio splits on commas only: " 5xx" is not a policy.
        for policy in retry_on.split(',').filter(|p| !is_retry_policy(p)) {
            found.report(
                format!("{path}.retryOn"),
                format!("{policy:?} is not a valid retryOn policy"),
            );
        }
    }
    if let Some(backoff) = &retries.backoff {
        check_duration(backoff, &format!("{path}.backoff"), found);
    }
}

fn is_retry_policy(policy: &str) -> bool {
    RETRY_ON_POLICIES.contains(&policy)
        || status_code(policy).is_some_and(|code| KNOWN_STATUS_CODES.contains(&code))
}

/// Parses a status code as Go's `strconv.Atoi` does: an optional sign, then digits.
fn status_code(text: &str) -> Option<u16> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    fn run(extra: &str) -> String {
        super::super::route_findings(&super::RULE, extra)
    }

    #[test]
    fn valid_retries_pass() {
        assert_eq!(run("    timeout: 1.5s\n    retries: {attempts: 0}\n"), "");
        assert_eq!(
            run(
                "    retries: {attempts: 3, perTryTimeout: 100ms, backoff: 25ms, retryOn: \"503,connect-failure,gateway-error,cancelled,retriable-status-codes\", retryRemoteLocalities: true}\n"
            ),
            ""
        );
    }

    #[test]
    fn invalid_retries_fail() {
        insta::assert_snapshot!(run(
            "    timeout: \"10\"\n    retries: {attempts: -1, perTryTimeout: 1500us, backoff: 0s, retryOn: \"5xx,,600,invalid policy\"}\n  - route:\n    - destination: {host: r}\n    retries: {perTryTimeout: 1s}\n"
        ));
    }
}
