//! DestinationRule load balancer settings: consistent hashing, locality and
//! zone-aware load balancing, warmup.

use std::collections::BTreeSet;
use std::time::Duration;

use super::super::support::validate_duration;
use super::super::{Findings, webhook_rule};
use super::locality::{check_locality, check_zone_aware};
use super::{KINDS, settings};
use crate::mesh::duration;
use crate::model::istio::{
    BackendUtilizationLb, ConsistentHashLb, DestinationRuleSpec, LoadBalancerSettings,
    OutlierDetection, WarmupConfiguration,
};
use crate::report::{Example, Rule};

/// Envoy's limit on the Maglev lookup table.
const MAGLEV_TABLE_LIMIT: u64 = 5_000_011;

pub static RULE: Rule = webhook_rule(
    "destinationrule-load-balancer",
    KINDS,
    "Load balancer settings that Istio refuses: hashing, locality weights and failover, warmup.",
    "A consistent-hash `httpCookie` needs a name and unique attribute names; the deprecated \
     `minimumRingSize` may not be combined with `ringHash` or `maglev`, and a Maglev `tableSize` must \
     be a prime below 5000011. In `localityLbSetting`, `distribute` and `failover` exclude each other, \
     each `distribute` entry's weights must be 1..100 and total exactly 100, localities may not overlap \
     and a `*` may only end them, and failover goes between two different regions. Failover without \
     `outlierDetection` never triggers, so Istio warns. A `warmup` needs a duration of at least 1ms \
     and a positive `aggression`. Istio's webhook refuses these settings, and a `backendUtilization` \
     period that is not a duration, which Istio cannot read into its API.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        httpHeaderName: x-user\n        maglev: {tableSize: 1000}\n  subsets:\n  - name: v1\n    trafficPolicy:\n      loadBalancer:\n        simple: ROUND_ROBIN\n        localityLbSetting:\n          distribute:\n          - from: us-west/zone1/*\n            to: {\"us-west/zone1/*\": 60, \"us-west/zone2/*\": 30}\n",
        fires_at: &[
            "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize",
            "spec.subsets[0].trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to",
        ],
    },
);

pub fn check(spec: &DestinationRuleSpec, found: &mut Findings) {
    for level in settings(spec) {
        if let Some(lb) = level.load_balancer {
            let path = format!("{}.loadBalancer", level.path);
            check_load_balancer(lb, level.outlier_detection, &path, found);
        }
    }
}

fn check_load_balancer(
    lb: &LoadBalancerSettings,
    outlier: Option<&OutlierDetection>,
    path: &str,
    found: &mut Findings,
) {
    if let Some(hash) = &lb.consistent_hash {
        check_consistent_hash(hash, &format!("{path}.consistentHash"), found);
    }
    if lb.locality_lb_setting.is_some() && lb.zone_aware_lb_setting.is_some() {
        found.report(
            path,
            "only one of localityLbSetting and zoneAwareLbSetting can be set",
        );
    }
    if let Some(locality) = &lb.locality_lb_setting {
        check_locality(
            locality,
            outlier,
            &format!("{path}.localityLbSetting"),
            found,
        );
    }
    if let Some(zone_aware) = &lb.zone_aware_lb_setting {
        check_zone_aware(
            zone_aware,
            outlier,
            &format!("{path}.zoneAwareLbSetting"),
            found,
        );
    }
    if let Some(warmup) = &lb.warmup {
        check_warmup(warmup, &format!("{path}.warmup"), found);
    }
    if let Some(utilization) = &lb.backend_utilization {
        check_backend_utilization(utilization, &format!("{path}.backendUtilization"), found);
    }
    // The deprecated field only has the CRD's CEL rule: at least 1ms.
    if let Some(text) = &lb.warmup_duration_secs {
        let path = format!("{path}.warmupDurationSecs");
        match duration::parse(text) {
            Ok(duration) if duration < Duration::from_millis(1) => {
                found.report(
                    path,
                    format!("warmupDurationSecs {text:?} must be at least 1ms"),
                );
            }
            Ok(_) => {}
            Err(reason) => found.report(path, reason),
        }
    }
}

/// The periods are protobuf Durations: the CRD takes any string, but Istio
/// refuses one it cannot parse when it converts the resource to its API.
fn check_backend_utilization(utilization: &BackendUtilizationLb, path: &str, found: &mut Findings) {
    let periods = [
        (
            "weightExpirationPeriod",
            &utilization.weight_expiration_period,
        ),
        (
            "weightStabilizationPeriod",
            &utilization.weight_stabilization_period,
        ),
        ("weightUpdatePeriod", &utilization.weight_update_period),
    ];
    for (field, value) in periods {
        if let Some(Err(reason)) = value.as_deref().map(duration::parse) {
            found.report(format!("{path}.{field}"), reason);
        }
    }
}

fn check_consistent_hash(hash: &ConsistentHashLb, path: &str, found: &mut Findings) {
    if let Some(cookie) = &hash.http_cookie {
        let path = format!("{path}.httpCookie");
        if cookie.name.as_deref().unwrap_or_default().is_empty() {
            found.report(format!("{path}.name"), "name required for HttpCookie");
        }
        let mut names = BTreeSet::new();
        for (i, attribute) in cookie.attributes.iter().enumerate() {
            let name = attribute.name.as_deref().unwrap_or_default();
            let at = format!("{path}.attributes[{i}].name");
            if name.is_empty() {
                found.report(at, "cookie attribute name cannot be empty");
            } else if !names.insert(name) {
                found.report(at, format!("duplicate cookie attribute name: {name}"));
            }
        }
    }
    if hash.minimum_ring_size.is_some_and(|size| size != 0) {
        let at = format!("{path}.minimumRingSize");
        found.warn(
            &at,
            "consistent hash minimumRingSize is deprecated, use consistentHash.ringHash instead",
        );
        if hash.ring_hash.is_some() || hash.maglev.is_some() {
            found.report(
                at,
                "only one of minimumRingSize or maglev/ringHash can be specified",
            );
        }
    }
    if let Some(maglev) = &hash.maglev {
        check_maglev_table(
            maglev.table_size.unwrap_or_default(),
            &format!("{path}.maglev"),
            found,
        );
    }
}

fn check_maglev_table(size: u64, path: &str, found: &mut Findings) {
    if size == 0 {
        found.report(path, "tableSize must be set for maglev");
        return;
    }
    let at = format!("{path}.tableSize");
    if size >= MAGLEV_TABLE_LIMIT {
        found.report(
            &at,
            format!("tableSize {size} must be less than {MAGLEV_TABLE_LIMIT} for maglev"),
        );
    }
    if !is_prime(size) {
        found.report(
            at,
            format!("tableSize {size} must be a prime number for maglev"),
        );
    }
}

/// Envoy's primality test, so that both accept the same table sizes.
fn is_prime(x: u64) -> bool {
    if x != 0 && x < 4 {
        return true;
    }
    if x.is_multiple_of(2) {
        return false;
    }
    (3..)
        .step_by(2)
        .take_while(|factor| *factor <= x / factor)
        .all(|factor| !x.is_multiple_of(factor))
}

fn check_warmup(warmup: &WarmupConfiguration, path: &str, found: &mut Findings) {
    match &warmup.duration {
        None => found.report(path, "duration is required"),
        Some(text) => {
            if let Err(reason) = validate_duration(text) {
                found.report(format!("{path}.duration"), reason);
            }
        }
    }
    if warmup
        .aggression
        .is_some_and(|aggression| aggression <= 0.0)
    {
        found.report(
            format!("{path}.aggression"),
            "aggression should be greater than 0",
        );
    }
}

#[cfg(test)]
mod cases {
    use super::*;

    use super::super::traffic_policy_findings as check;

    #[test]
    fn primes_match_envoy() {
        assert!(is_prime(2) && is_prime(3) && is_prime(65537) && is_prime(5_000_011));
        assert!(!is_prime(0) && !is_prime(1000) && !is_prime(9));
    }

    #[test]
    fn hashing_and_warmup() {
        assert_eq!(
            check(
                "    loadBalancer:\n      consistentHash: {useSourceIp: true, maglev: {tableSize: 65537}}\n"
            ),
            ""
        );
        assert!(
            check("    loadBalancer:\n      consistentHash: {httpCookie: {name: \"\", ttl: 0s}}\n")
                .contains("name required")
        );
        assert!(check("    loadBalancer:\n      consistentHash: {useSourceIp: true, minimumRingSize: 10, ringHash: {minimumRingSize: 10}}\n").contains("only one of minimumRingSize"));
        assert_eq!(
            check(
                "    loadBalancer:\n      simple: ROUND_ROBIN\n      warmup: {duration: 10s, aggression: 1.5}\n"
            ),
            ""
        );
        assert!(check("    loadBalancer:\n      simple: ROUND_ROBIN\n      warmup: {duration: 0s, aggression: 0}\n").contains("aggression"));
    }

    #[test]
    fn backend_utilization_periods_are_durations() {
        assert_eq!(
            check(
                "    loadBalancer:\n      backendUtilization: {weightUpdatePeriod: 1s, weightExpirationPeriod: 3m, errorUtilizationPenaltyPercent: 20, metricNamesForComputingUtilization: [named_metrics.gpu]}\n"
            ),
            ""
        );
        let found = check(
            "    loadBalancer:\n      backendUtilization: {weightStabilizationPeriod: soon}\n",
        );
        assert!(
            found.contains("loadBalancer.backendUtilization.weightStabilizationPeriod")
                && found.contains("invalid duration"),
            "{found}"
        );
        let both =
            check("    loadBalancer:\n      simple: LEAST_REQUEST\n      backendUtilization: {}\n");
        assert!(
            both.contains("loadBalancer"),
            "one of simple and backendUtilization: {both}"
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
