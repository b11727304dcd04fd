//! Fault injection: delays and aborts.

use super::super::support::validate_duration;
use super::super::{Findings, webhook_rule};
use super::KINDS;
use crate::model::istio::{Abort, Delay, Percent, VirtualServiceSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "virtualservice-fault-injection",
    KINDS,
    "HTTP fault injection settings Istio refuses.",
    "A `fault` needs an `abort`, a `delay` or both. Percentages are 0, or 0.0001 to 100. An abort \
     returns an HTTP status from 200 to 599 or a gRPC status by name (`UNAVAILABLE`, `NOT_FOUND`, ...); \
     `http2Error` aborts are not supported, and an abort without any status is ignored (a warning). \
     A delay's `fixedDelay` is a duration of at least 1ms in whole milliseconds; `exponentialDelay` is \
     not supported. Istio's webhook refuses the resource otherwise.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ratings\nspec:\n  hosts: [ratings]\n  http:\n  - route:\n    - destination:\n        host: ratings\n    fault:\n      delay:\n        fixedDelay: 0s\n        percentage:\n          value: 150\n      abort:\n        grpcStatus: NOT_AVAILABLE\n",
        fires_at: &[
            "spec.http[0].fault.delay.fixedDelay",
            "spec.http[0].fault.delay.percentage.value",
            "spec.http[0].fault.abort.grpcStatus",
        ],
    },
);

/// gRPC status names Istio can translate to codes.
const GRPC_STATUSES: &[&str] = &[
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

pub fn check(spec: &VirtualServiceSpec, found: &mut Findings) {
    for (i, route) in spec.http.iter().enumerate() {
        let Some(fault) = &route.fault else {
            continue;
        };
        let path = format!("spec.http[{i}].fault");
        if fault.abort.is_none() && fault.delay.is_none() {
            found.report(
                &path,
                "HTTP fault injection must have an abort and/or a delay",
            );
        }
        if let Some(abort) = &fault.abort {
            check_abort(abort, &format!("{path}.abort"), found);
        }
        if let Some(delay) = &fault.delay {
            check_delay(delay, &format!("{path}.delay"), found);
        }
    }
}

fn check_abort(abort: &Abort, path: &str, found: &mut Findings) {
    check_percentage(abort.percentage.as_ref(), path, found);
    if let Some(status) = &abort.grpc_status {
        if !GRPC_STATUSES.contains(&status.as_str()) {
            found.report(
                format!("{path}.grpcStatus"),
                format!("gRPC status {status:?} is not supported; use a name such as NOT_FOUND (see https://github.com/grpc/grpc/blob/master/doc/statuscodes.md)"),
            );
        }
    } else if abort.http2_error.is_some() {
        found.report(
            format!("{path}.http2Error"),
            "HTTP/2 abort fault injection not supported yet",
        );
    } else if let Some(status) = abort.http_status {
        if !(200..=600).contains(&status) {
            found.report(
                format!("{path}.httpStatus"),
                format!("HTTP status {status} is not in range 200-599"),
            );
        }
    } else {
        found.warn(path, "abort configured, but error type not set");
    }
}

fn check_delay(delay: &Delay, path: &str, found: &mut Findings) {
    check_percentage(delay.percentage.as_ref(), path, found);
    if let Some(fixed) = &delay.fixed_delay {
        if let Err(reason) = validate_duration(fixed) {
            found.report(format!("{path}.fixedDelay"), reason);
        }
    } else if let Some(exponential) = &delay.exponential_delay {
        let at = format!("{path}.exponentialDelay");
        if let Err(reason) = validate_duration(exponential) {
            found.report(&at, reason);
        }
        found.report(at, "exponentialDelay not supported yet");
    }
}

/// 0, or between 0.0001 (Envoy's finest fraction) and 100.
fn check_percentage(percentage: Option<&Percent>, path: &str, found: &mut Findings) {
    let Some(value) = percentage.map(|p| p.value.unwrap_or_default()) else {
        return;
    };
    if !(0.0..=100.0).contains(&value) || (value > 0.0 && value < 0.0001) {
        found.report(
            format!("{path}.percentage.value"),
            format!("percentage {value} is neither 0.0, nor in range [0.0001, 100.0]"),
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);

#[cfg(test)]
mod cases {
    fn run(fault: &str) -> String {
        super::super::route_findings(&super::RULE, &format!("    fault: {fault}\n"))
    }

    #[test]
    fn valid_faults_pass() {
        assert_eq!(
            run(
                "{delay: {fixedDelay: 5s, percentage: {value: 0.0001}}, abort: {httpStatus: 503, percentage: {value: 100}}}"
            ),
            ""
        );
        assert_eq!(run("{abort: {grpcStatus: UNAVAILABLE}}"), "");
        assert_eq!(run("{delay: {percent: 50, fixedDelay: 1ms}}"), "");
    }

    #[test]
    fn invalid_faults_fail() {
        insta::assert_snapshot!(
            [
                run("{}"),
                run("{abort: {httpStatus: 700, percentage: {value: 0.00001}}}"),
                run("{abort: {http2Error: x}}"),
                run("{abort: {percentage: {value: 10}}}"),
                run("{delay: {exponentialDelay: 1s}}"),
            ]
            .join("\n")
        );
    }
}
