//! Locality and zone-aware load balancing settings (Istio's
//! `ValidateLocalityLbSetting` and `ValidateZoneAwareLbSetting`), checked as
//! part of the load balancer rule group.

use super::super::Findings;
use crate::model::istio::{
    LocalityFailover, LocalityLoadBalancerSetting, OutlierDetection, ZoneAwareLbSetting,
};

/// The topology labels: explicit `failover` already orders by them, and
/// zone-aware load balancing handles all of them itself.
const TOPOLOGY_LABELS: &[&str] = &[
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "topology.istio.io/subzone",
];

/// `localityLbSetting`: weights that total 100 between distinct localities,
/// or failover between regions.
pub fn check_locality(
    lb: &LocalityLoadBalancerSetting,
    outlier: Option<&OutlierDetection>,
    path: &str,
    found: &mut Findings,
) {
    if !lb.distribute.is_empty() && !lb.failover.is_empty() {
        found.report(
            path,
            "can not simultaneously specify 'distribute' and 'failover'",
        );
        return;
    }
    if !lb.failover.is_empty()
        && let Some((i, label)) = lb
            .failover_priority
            .iter()
            .enumerate()
            .find(|(_, label)| TOPOLOGY_LABELS.contains(&label.as_str()))
    {
        found.report(
            format!("{path}.failoverPriority[{i}]"),
            format!("can not simultaneously set 'failover' and topology label '{label}' in 'failoverPriority'"),
        );
        return;
    }
    let mut sources = Vec::new();
    for (i, entry) in lb.distribute.iter().enumerate() {
        let at = format!("{path}.distribute[{i}]");
        sources.push(entry.from.clone().unwrap_or_default());
        if entry.to.values().any(|weight| !(1..=100).contains(weight)) {
            found.report(
                format!("{at}.to"),
                "locality weight must be in range [1, 100]",
            );
            return;
        }
        let total: u32 = entry.to.values().sum();
        if total != 100 {
            found.report(
                format!("{at}.to"),
                format!("total locality weight {total} != 100"),
            );
            return;
        }
        if let Err(reason) = validate_localities(entry.to.keys()) {
            found.report(format!("{at}.to"), reason);
        }
    }
    if let Err(reason) = validate_localities(sources.iter()) {
        found.report(format!("{path}.distribute"), reason);
    }
    check_failover_settings(
        &lb.failover,
        &lb.failover_priority,
        outlier,
        path,
        "locality lb",
        found,
    );
}

/// Failover needs outlier detection to notice unhealthy endpoints (Istio
/// warns without it), and its region pairs must be valid.
fn check_failover_settings(
    failover: &[LocalityFailover],
    failover_priority: &[String],
    outlier: Option<&OutlierDetection>,
    path: &str,
    setting: &str,
    found: &mut Findings,
) {
    if (!failover.is_empty() || !failover_priority.is_empty()) && outlier.is_none() {
        found.warn(
            path,
            "outlier detection policy must be provided for failover",
        );
    }
    check_failover(failover, &format!("{path}.failover"), setting, found);
}

/// `zoneAwareLbSetting`: failover between regions only.
pub fn check_zone_aware(
    lb: &ZoneAwareLbSetting,
    outlier: Option<&OutlierDetection>,
    path: &str,
    found: &mut Findings,
) {
    for (i, label) in lb.failover_priority.iter().enumerate() {
        if TOPOLOGY_LABELS.contains(&label.as_str()) {
            found.report(
                format!("{path}.failoverPriority[{i}]"),
                format!("'failoverPriority' for zone aware lb must not use topology label '{label}'; region- and zone-level routing are handled automatically"),
            );
        }
    }
    check_failover_settings(
        &lb.failover,
        &lb.failover_priority,
        outlier,
        path,
        "zone aware lb",
        found,
    );
}

/// Failover goes from one region to another: no zones, no wildcards.
fn check_failover(failover: &[LocalityFailover], path: &str, what: &str, found: &mut Findings) {
    for (i, entry) in failover.iter().enumerate() {
        let from = entry.from.as_deref().unwrap_or_default();
        let to = entry.to.as_deref().unwrap_or_default();
        let at = format!("{path}[{i}]");
        if from == to {
            found.report(
                &at,
                format!("{what} failover settings must specify different regions"),
            );
        }
        if from.contains('/') || to.contains('/') {
            found.report(
                &at,
                format!("{what} failover only specifies region, found {from:?} to {to:?}"),
            );
        }
        if from.contains('*') || to.contains('*') {
            found.report(
                &at,
                format!("{what} failover region should not contain '*' wildcard"),
            );
        }
    }
}

/// A region's zones, each with its subzones.
type Zones<'a> = Vec<(&'a str, Vec<&'a str>)>;

/// Localities are `region[/zone[/subzone]]`, with at most one `*` at the
/// end, and none may cover another listed before it.
fn validate_localities<'a>(localities: impl Iterator<Item = &'a String>) -> Result<(), String> {
    // Each region's zones; each zone's subzones. `*` covers all.
    let mut regions: Vec<(&str, Zones)> = Vec::new();
    for locality in localities {
        let overlap = || {
            Err(format!(
                "locality {locality} overlap with previous specified ones"
            ))
        };
        let stars = locality.matches('*').count();
        if stars > 1 || (stars == 1 && !locality.ends_with('*')) {
            return Err(format!(
                "locality {locality} wildcard '*' number can not exceed 1 and must be in the end"
            ));
        }
        if regions.iter().any(|(region, _)| *region == "*") {
            return overlap();
        }
        let parts: Vec<&str> = locality.splitn(3, '/').collect();
        if parts.iter().any(|part| part.is_empty()) {
            return Err(format!(
                "locality {locality} must not contain empty region/zone/subzone info"
            ));
        }
        let region = parts[0];
        let index = regions.iter().position(|(r, _)| *r == region);
        match (parts.len(), index) {
            (1, Some(_)) => return overlap(),
            (1, None) => regions.push((region, vec![("*", vec!["*"])])),
            (_, None) => {
                let subzones = parts.get(2).map_or(vec!["*"], |s| vec![*s]);
                regions.push((region, vec![(parts[1], subzones)]));
            }
            (_, Some(r)) => {
                let zones = &mut regions[r].1;
                if zones.iter().any(|(zone, _)| *zone == "*") {
                    return overlap();
                }
                let zone = zones.iter().position(|(z, _)| *z == parts[1]);
                match (parts.get(2), zone) {
                    (None, Some(_)) => return overlap(),
                    (None, None) => zones.push((parts[1], vec!["*"])),
                    (Some(subzone), None) => zones.push((parts[1], vec![*subzone])),
                    (Some(subzone), Some(z)) => {
                        let subzones = &mut zones[z].1;
                        if subzones.iter().any(|s| *s == "*" || s == subzone) {
                            return overlap();
                        }
                        subzones.push(subzone);
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod cases {
    use super::*;

    use super::super::traffic_policy_findings as check;

    fn localities(list: &[&str]) -> Result<(), String> {
        let owned: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        validate_localities(owned.iter())
    }

    #[test]
    fn locality_overlaps() {
        assert!(localities(&["us-west/zone1/*", "us-west/zone2/*"]).is_ok());
        assert!(localities(&["us-west/z1/a", "us-west/z1/b", "us-east"]).is_ok());
        assert!(localities(&["us-west", "us-west/zone1"]).is_err());
        assert!(localities(&["us-west/zone1", "us-west/zone1/a"]).is_err());
        assert!(localities(&["*", "us-west"]).is_err());
        assert!(localities(&["us-*/zone"]).is_err());
        assert!(localities(&["us-west//a"]).is_err());
    }

    #[test]
    fn locality_settings() {
        let ok = "    outlierDetection: {interval: 1s}\n    loadBalancer:\n      localityLbSetting:\n        failover: [{from: us-east, to: eu-west}]\n";
        assert_eq!(check(ok), "");
        let no_outlier = "    loadBalancer:\n      localityLbSetting:\n        failover: [{from: us-east, to: us-east/zone1}]\n";
        let out = check(no_outlier);
        assert!(out.contains("outlier detection policy must be provided"));
        assert!(out.contains("only specifies region"));
        let distribute = "    loadBalancer:\n      localityLbSetting:\n        distribute:\n        - from: us-west/zone1/*\n          to: {\"us-west/zone1/*\": 80, \"us-west/zone2/*\": 20}\n";
        assert_eq!(check(distribute), "");
    }
}
