//! The DestinationRule that applies to a destination, its subset, the
//! workloads the subset selects, and the traffic policy Envoy gets for
//! that subset and port.

use super::context::Context;
use super::names::{self, creation_order, qualified};
use super::result::Verdict;
use crate::mesh::visibility::ExportTo;
use crate::mesh::{host, selector};
use crate::model::Object;
use crate::model::istio::{DestinationRuleSpec, Subset, TrafficPolicy};

/// DestinationRules for one host, merged as Istio merges them: the first
/// one's traffic policy (unless it has none), subsets of all by name.
pub struct AppliedRule {
    pub names: Vec<String>,
    pub subsets: Vec<Subset>,
    pub traffic_policy: Option<TrafficPolicy>,
}

/// Istio's lookup from a proxy in `proxy_ns` for `host`: the proxy's own
/// namespace first (unless it is the root namespace), then the Service's
/// namespace, then the root namespace, each time the most specific host
/// among the rules exported to the proxy's namespace.
pub fn destination_rule(ctx: &mut Context, host: &str) -> Option<AppliedRule> {
    let index = ctx.index;
    let proxy = ctx.proxy.clone();
    let (proxy_ns, proxy_labels) = (proxy.namespace.as_str(), &proxy.labels);
    let root = index.snapshot.mesh.root_namespace.as_str();
    let service_ns = index
        .service(host)
        .and_then(|(o, _)| o.namespace.as_deref());
    let mut order: Vec<(&str, bool)> = vec![(proxy_ns, false)];
    if let Some(ns) = service_ns
        && ns != proxy_ns
    {
        order.push((ns, true));
    }
    if root != proxy_ns && Some(root) != service_ns {
        order.push((root, true));
    }
    for (ns, check_export) in order {
        let candidates: Vec<(&Object, &DestinationRuleSpec, String)> = index
            .destination_rules_in(ns)
            .iter()
            .copied()
            .filter(|(_, s)| {
                !check_export
                    || ExportTo::from_entries(s.export_to.iter().map(String::as_str), ns)
                        .is_visible_to(proxy_ns)
            })
            .filter(|(_, s)| {
                s.workload_selector.as_ref().is_none_or(|sel| {
                    ns == proxy_ns && selector::selects(&sel.match_labels, proxy_labels)
                })
            })
            .filter_map(|(o, s)| {
                let written = s.host.as_deref().unwrap_or_default().to_ascii_lowercase();
                let h = host::resolve(&written, ns, &index.domain);
                host::overlaps(&h, host).then_some((o, s, h))
            })
            .collect();
        let Some(best) = candidates
            .iter()
            .map(|(_, _, h)| names::specificity(h))
            .max()
        else {
            continue;
        };
        let mut chosen: Vec<&(&Object, &DestinationRuleSpec, String)> = candidates
            .iter()
            .filter(|(_, _, h)| names::specificity(h) == best)
            .collect();
        chosen.sort_by(|a, b| creation_order(a.0).cmp(&creation_order(b.0)));
        let mut applied = AppliedRule {
            names: Vec::new(),
            subsets: Vec::new(),
            traffic_policy: None,
        };
        for (object, spec, _) in chosen {
            applied.names.push(qualified(object));
            if applied.traffic_policy.is_none() {
                applied.traffic_policy = spec.traffic_policy.as_deref().cloned();
            }
            for subset in &spec.subsets {
                if !applied.subsets.iter().any(|s| s.name == subset.name) {
                    applied.subsets.push(subset.clone());
                }
            }
        }
        let place = if ns == proxy_ns {
            "the caller's namespace"
        } else if Some(ns) == service_ns {
            "the service's namespace"
        } else {
            "the root namespace"
        };
        let subject = format!("DestinationRule {}", applied.names.join(" + "));
        let detail = format!("applies to {host} (found in {place}, {ns:?})");
        ctx.step(2, subject, Verdict::Selected, detail);
        return Some(applied);
    }
    None
}

/// Istio's `MergeSubsetTrafficPolicy`: port-level settings replace the
/// destination-level load balancer, connection pool, outlier detection and
/// TLS wholesale; the subset's policy (its own port level first) overrides
/// field by field.
pub fn merged_policy(
    top: Option<&TrafficPolicy>,
    subset: Option<&TrafficPolicy>,
    port: u32,
) -> Option<TrafficPolicy> {
    let top = top.map(|p| port_level(p, port).0);
    let Some(subset) = subset else { return top };
    let (subset, has_port_level) = port_level(subset, port);
    let Some(mut merged) = top else {
        return Some(subset);
    };
    merged.port_level_settings.clear();
    if subset.connection_pool.is_some() || has_port_level {
        merged.connection_pool = subset.connection_pool;
    }
    if subset.outlier_detection.is_some() || has_port_level {
        merged.outlier_detection = subset.outlier_detection;
    }
    if subset.load_balancer.is_some() || has_port_level {
        merged.load_balancer = subset.load_balancer;
    }
    if subset.tls.is_some() || has_port_level {
        merged.tls = subset.tls;
    }
    if subset.tunnel.is_some() {
        merged.tunnel = subset.tunnel;
    }
    if subset.proxy_protocol.is_some() {
        merged.proxy_protocol = subset.proxy_protocol;
    }
    if subset.retry_budget.is_some() {
        merged.retry_budget = subset.retry_budget;
    }
    Some(merged)
}

/// The policy for one port: its port-level settings when it has some
/// (and only those four fields), else the policy without port settings.
fn port_level(policy: &TrafficPolicy, port: u32) -> (TrafficPolicy, bool) {
    let settings = policy
        .port_level_settings
        .iter()
        .find(|p| p.port.as_ref().and_then(|s| s.number) == Some(port));
    match settings {
        Some(p) => (
            TrafficPolicy {
                connection_pool: p.connection_pool.clone(),
                load_balancer: p.load_balancer.clone(),
                outlier_detection: p.outlier_detection.clone(),
                tls: p.tls.clone(),
                ..TrafficPolicy::default()
            },
            true,
        ),
        None => {
            let mut copy = policy.clone();
            copy.port_level_settings.clear();
            (copy, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::istio::{LoadBalancerSettings, PortSelector, PortTrafficPolicy, SimpleLb};

    fn lb(simple: SimpleLb) -> Option<Box<LoadBalancerSettings>> {
        Some(Box::new(LoadBalancerSettings {
            simple: Some(simple),
            ..Default::default()
        }))
    }

    #[test]
    fn subset_overrides_top_level_and_port_level_replaces_wholesale() {
        let top = TrafficPolicy {
            load_balancer: lb(SimpleLb::RoundRobin),
            port_level_settings: vec![PortTrafficPolicy {
                port: Some(PortSelector { number: Some(9080) }),
                load_balancer: lb(SimpleLb::LeastRequest),
                ..Default::default()
            }],
            ..Default::default()
        };
        let subset = TrafficPolicy {
            load_balancer: lb(SimpleLb::Random),
            ..Default::default()
        };
        let on_other_port = merged_policy(Some(&top), None, 80).unwrap();
        assert_eq!(on_other_port.load_balancer, lb(SimpleLb::RoundRobin));
        let on_port = merged_policy(Some(&top), None, 9080).unwrap();
        assert_eq!(on_port.load_balancer, lb(SimpleLb::LeastRequest));
        let with_subset = merged_policy(Some(&top), Some(&subset), 9080).unwrap();
        assert_eq!(with_subset.load_balancer, lb(SimpleLb::Random));
        assert!(merged_policy(None, None, 80).is_none());
    }
}
