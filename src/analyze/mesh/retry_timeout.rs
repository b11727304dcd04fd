//! A route timeout that ends the request before its retries can run.

use super::super::{Analyzer, Report};
use crate::mesh::duration;
use crate::report::{Example, Level, Rule};
use crate::snapshot::Snapshot;

pub static RULE: Rule = Rule {
    code: "MSH3002",
    name: "timeout-shorter-than-retries",
    level: Level::Warning,
    summary: "A route timeout shorter than retries.attempts x retries.perTryTimeout.",
    kinds: &["VirtualService"],
    explanation: "The route `timeout` bounds the whole request, retries included. When it is shorter \
        than `attempts` x `perTryTimeout`, the later attempts can never run to their own timeout: the \
        request fails with 504 at the route timeout while the retry policy promises more. Raise \
        `timeout`, or lower `perTryTimeout` or `attempts` so that they fit.",
    example: Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ratings\nspec:\n  hosts: [ratings]\n  http:\n  - timeout: 2s\n    retries:\n      attempts: 3\n      perTryTimeout: 1s\n    route:\n    - destination:\n        host: ratings\n",
        fires_at: &["spec.http[0].timeout"],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshctl.RetryTimeoutAnalyzer",
    rules: &[&RULE],
    run,
};

fn run(snapshot: &Snapshot, report: &mut Report) {
    for (object, spec) in snapshot.virtual_services() {
        for (i, route) in spec.http.iter().enumerate() {
            let (Some(timeout), Some(retries)) = (&route.timeout, &route.retries) else {
                continue;
            };
            let (Ok(timeout_value), Some(per_try)) = (
                duration::parse(timeout),
                retries
                    .per_try_timeout
                    .as_deref()
                    .and_then(|d| duration::parse(d).ok()),
            ) else {
                continue;
            };
            let attempts = u32::try_from(retries.attempts.unwrap_or(0)).unwrap_or(0);
            // A zero timeout means "none" in Istio.
            if timeout_value.is_zero() || attempts == 0 {
                continue;
            }
            let needed = per_try * attempts;
            if timeout_value < needed {
                report.report_with_help(
                    &RULE,
                    object,
                    &format!("spec.http[{i}].timeout"),
                    format!(
                        "timeout {timeout} ends the request before {attempts} attempts of perTryTimeout {} ({:?} in all) can run",
                        retries.per_try_timeout.as_deref().unwrap_or_default(),
                        needed
                    ),
                    "raise timeout to at least attempts x perTryTimeout, or lower perTryTimeout or attempts",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::analyzer_tests;

    analyzer_tests!(
        RULE,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ratings\nspec:\n  hosts: [ratings]\n  http:\n  - timeout: 3s\n    retries:\n      attempts: 3\n      perTryTimeout: 1s\n    route:\n    - destination:\n        host: ratings\n  - timeout: 0s\n    retries:\n      attempts: 3\n      perTryTimeout: 1s\n    route:\n    - destination:\n        host: ratings\n  - timeout: 1s\n    retries:\n      attempts: 3\n    route:\n    - destination:\n        host: ratings\n"
    );
}
