//! DestinationRule outlier detection: intervals, percentages and the error
//! counters that depend on each other.

use super::super::support::validate_duration;
use super::super::{Findings, webhook_rule};
use super::{KINDS, settings};
use crate::model::istio::{DestinationRuleSpec, OutlierDetection};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "destinationrule-outlier-detection",
    KINDS,
    "Outlier detection intervals, percentages or error counters that Istio refuses.",
    "`interval` and `baseEjectionTime` must be at least 1ms in whole milliseconds, and \
     `maxEjectionPercent` and `minHealthPercent` must be 0..100. `consecutiveLocalOriginFailures` only \
     counts when `splitExternalLocalOriginErrors` is true, so Istio refuses it otherwise. The deprecated \
     `consecutiveErrors` draws a warning: use `consecutive5xxErrors` or `consecutiveGatewayErrors`.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  trafficPolicy:\n    outlierDetection:\n      interval: 0s\n      maxEjectionPercent: 150\n      consecutiveLocalOriginFailures: 3\n",
        fires_at: &[
            "spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures",
            "spec.trafficPolicy.outlierDetection.interval",
            "spec.trafficPolicy.outlierDetection.maxEjectionPercent",
        ],
    },
);

pub fn check(spec: &DestinationRuleSpec, found: &mut Findings) {
    for level in settings(spec) {
        if let Some(outlier) = level.outlier_detection {
            check_outlier(outlier, &format!("{}.outlierDetection", level.path), found);
        }
    }
}

fn check_outlier(outlier: &OutlierDetection, path: &str, found: &mut Findings) {
    if let Some(text) = &outlier.base_ejection_time
        && let Err(reason) = validate_duration(text)
    {
        found.report(format!("{path}.baseEjectionTime"), reason);
    }
    if outlier.consecutive_errors.is_some_and(|n| n != 0) {
        found.warn(
            format!("{path}.consecutiveErrors"),
            "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead",
        );
    }
    let local_failures = outlier
        .consecutive_local_origin_failures
        .unwrap_or_default();
    if local_failures > 0 && outlier.split_external_local_origin_errors != Some(true) {
        found.report(
            format!("{path}.consecutiveLocalOriginFailures"),
            "outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false",
        );
    }
    if let Some(text) = &outlier.interval
        && let Err(reason) = validate_duration(text)
    {
        found.report(format!("{path}.interval"), reason);
    }
    let percents = [
        (outlier.max_ejection_percent, "maxEjectionPercent"),
        (outlier.min_health_percent, "minHealthPercent"),
    ];
    for (value, field) in percents {
        if let Some(value) = value.filter(|v| !(0..=100).contains(v)) {
            found.report(
                format!("{path}.{field}"),
                format!("percentage {value} is not in range 0..100"),
            );
        }
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    const HEAD: &str = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: r\n  trafficPolicy:\n    outlierDetection:\n";

    #[test]
    fn outliers() {
        let check = |body: &str| findings(&format!("{HEAD}{body}"));
        assert_eq!(
            check(
                "      consecutiveLocalOriginFailures: 3\n      splitExternalLocalOriginErrors: true\n      minHealthPercent: 0\n"
            ),
            ""
        );
        assert!(check("      consecutiveErrors: 5\n").contains("deprecated"));
        assert!(check("      minHealthPercent: -1\n").contains("not in range"));
        assert!(check("      baseEjectionTime: 30\n").contains("baseEjectionTime"));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
