//! DestinationRule rule groups.

pub(super) mod connection_pool;
mod host_and_subsets;
#[cfg(test)]
mod istio_cases;
pub(super) mod labels;
mod load_balancer;
mod locality;
mod outlier_detection;
mod tls;
mod traffic_policy;

use super::SemanticRule;
use crate::model::istio::{
    ClientTlsSettings, ConnectionPoolSettings, DestinationRuleSpec, LoadBalancerSettings,
    OutlierDetection, TrafficPolicy,
};

pub static RULES: &[SemanticRule<DestinationRuleSpec>] = &[
    SemanticRule {
        rule: &host_and_subsets::RULE,
        check: host_and_subsets::check,
    },
    SemanticRule {
        rule: &traffic_policy::RULE,
        check: traffic_policy::check,
    },
    SemanticRule {
        rule: &load_balancer::RULE,
        check: load_balancer::check,
    },
    SemanticRule {
        rule: &connection_pool::RULE,
        check: connection_pool::check,
    },
    SemanticRule {
        rule: &outlier_detection::RULE,
        check: outlier_detection::check,
    },
    SemanticRule {
        rule: &tls::RULE,
        check: tls::check,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["DestinationRule"];

/// The traffic policies of a DestinationRule with their paths: the
/// top-level one, then each subset's.
fn traffic_policies(spec: &DestinationRuleSpec) -> Vec<(String, &TrafficPolicy)> {
    let top = spec
        .traffic_policy
        .as_deref()
        .map(|policy| ("spec.trafficPolicy".to_string(), policy));
    let subsets = spec.subsets.iter().enumerate().filter_map(|(i, subset)| {
        let policy = subset.traffic_policy.as_deref()?;
        Some((format!("spec.subsets[{i}].trafficPolicy"), policy))
    });
    top.into_iter().chain(subsets).collect()
}

/// The settings a traffic policy and each of its port-level settings share.
struct Settings<'a> {
    path: String,
    connection_pool: Option<&'a ConnectionPoolSettings>,
    load_balancer: Option<&'a LoadBalancerSettings>,
    outlier_detection: Option<&'a OutlierDetection>,
    tls: Option<&'a ClientTlsSettings>,
}

/// Every level at which Istio applies the shared settings: each traffic
/// policy and each of its `portLevelSettings` entries.
fn settings(spec: &DestinationRuleSpec) -> Vec<Settings<'_>> {
    let mut levels = Vec::new();
    for (path, policy) in traffic_policies(spec) {
        let ports = policy.port_level_settings.iter().enumerate();
        let port_levels: Vec<Settings> = ports
            .map(|(i, port)| Settings {
                path: format!("{path}.portLevelSettings[{i}]"),
                connection_pool: port.connection_pool.as_ref(),
                load_balancer: port.load_balancer.as_deref(),
                outlier_detection: port.outlier_detection.as_ref(),
                tls: port.tls.as_ref(),
            })
            .collect();
        levels.push(Settings {
            path,
            connection_pool: policy.connection_pool.as_ref(),
            load_balancer: policy.load_balancer.as_deref(),
            outlier_detection: policy.outlier_detection.as_ref(),
            tls: policy.tls.as_ref(),
        });
        levels.extend(port_levels);
    }
    levels
}

/// The findings for a DestinationRule whose top-level `trafficPolicy` is
/// `body` (indented by four spaces), for the rule groups' case tests.
#[cfg(test)]
fn traffic_policy_findings(body: &str) -> String {
    crate::validate::test_support::findings(&format!(
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: r\n  trafficPolicy:\n{body}"
    ))
}
