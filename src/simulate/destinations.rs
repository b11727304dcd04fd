//! Where a route's destinations lead: the cluster port, the
//! DestinationRule and subset, the traffic policy Envoy gets, the
//! workloads behind them, and the workload authorization is checked at.

use crate::model::StringMap;
use serde::Serialize;

use super::authz;
use super::context::Context;
use super::index::Index;
use super::names::qualified;
use super::policy;
use super::result::{Destination, Simulation, Verdict};
use crate::model::istio;

/// One destination of a route, as written (its host resolved).
pub struct Wanted<'d> {
    pub host: &'d str,
    pub subset: Option<&'d str>,
    pub port: Option<u32>,
}

/// A route's destinations as Envoy gets them (HTTP and TCP alike): one
/// destination is a plain cluster whatever its weight; several are
/// weighted clusters, without the zero-weight ones.
pub fn push_destinations<'r, H: Serialize + 'r>(
    ctx: &mut Context,
    items: impl Iterator<Item = (&'r istio::Destination, Option<i32>, Option<&'r H>)>,
    sim: &mut Simulation,
) {
    let all: Vec<_> = items.collect();
    let single = all.len() == 1;
    let chosen: Vec<(&istio::Destination, u32, Option<&H>)> = all
        .into_iter()
        .filter(|(_, w, _)| single || w.unwrap_or(0) > 0)
        .map(|(d, w, h)| {
            (
                d,
                if single {
                    100
                } else {
                    w.unwrap_or(0).max(0) as u32
                },
                h,
            )
        })
        .collect();
    let total: u32 = chosen.iter().map(|(_, w, _)| *w).sum();
    for (dest, weight, headers) in chosen {
        let wanted = Wanted {
            host: dest.host.as_deref().unwrap_or_default(),
            subset: dest.subset.as_deref(),
            port: dest.port.as_ref().and_then(|p| p.number),
        };
        let mut out = resolve_destination(ctx, wanted, weight, total);
        out.headers = headers.and_then(|h| serde_json::to_value(h).ok());
        sim.destinations.push(out);
    }
    if sim.destinations.is_empty() {
        sim.reason = Some("the matched route has no destination with a weight above 0".into());
    }
}

/// The destination Envoy gets for `wanted` with `weight` out of `total`.
pub fn resolve_destination(
    ctx: &mut Context,
    wanted: Wanted,
    weight: u32,
    total: u32,
) -> Destination {
    let index = ctx.index;
    let host = aliased(ctx, wanted.host);
    let subset = wanted.subset;
    let service = index.service(&host);
    // Istio's cluster port: the destination's, else the Service's only
    // port, else the port the request came in on.
    let port = wanted.port.or_else(|| {
        let ports = service?.1.spec.as_ref()?.ports.as_ref()?;
        (ports.len() == 1).then(|| ports[0].port as u32)
    });
    let port = port.unwrap_or(ctx.request.port);
    let subject = match subset {
        Some(s) => format!("destination {host} subset {s}"),
        None => format!("destination {host}"),
    };
    let known = if service.is_some() {
        ""
    } else {
        " (not a Service in the input)"
    };
    ctx.step(
        1,
        subject.clone(),
        Verdict::Info,
        format!("port {port}, weight {weight}{known}"),
    );
    let rule = policy::destination_rule(ctx, &host);
    let mut out = Destination {
        host: host.clone(),
        subset: subset.map(str::to_string),
        port: Some(port),
        weight,
        share: if total == 0 {
            0.0
        } else {
            f64::from(weight) / f64::from(total)
        },
        destination_rule: rule.as_ref().map(|r| r.names.join(" + ")),
        subset_labels: None,
        workloads: Vec::new(),
        traffic_policy: None,
        headers: None,
        problem: None,
    };
    let subset_spec = subset.and_then(|name| find_subset(&mut out, rule.as_ref(), name));
    if let Some(problem) = &out.problem {
        ctx.step(2, subject.clone(), Verdict::Failed, problem.clone());
    }
    if let Some(s) = subset_spec {
        out.subset_labels = Some(s.labels.clone());
    }
    out.traffic_policy = policy::merged_policy(
        rule.as_ref().and_then(|r| r.traffic_policy.as_ref()),
        subset_spec.and_then(|s| s.traffic_policy.as_deref()),
        port,
    )
    .and_then(|p| serde_json::to_value(p).ok())
    .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()));
    if let Some((object, svc)) = service {
        let mut labels = svc
            .spec
            .as_ref()
            .and_then(|s| s.selector.clone())
            .unwrap_or_default();
        if let Some(s) = subset_spec {
            labels.extend(s.labels.clone());
        }
        if !labels.is_empty() {
            out.workloads = workloads(index, object.namespace.as_deref(), &labels);
        }
        let detail = format!(
            "selects {} workload(s) with labels {}",
            out.workloads.len(),
            show_labels(&labels)
        );
        ctx.step(2, subject, Verdict::Info, detail);
    }
    out
}

/// A destination naming an ExternalName Service reaches the host it
/// aliases.
fn aliased(ctx: &mut Context, host: &str) -> String {
    let Some(target) = ctx.index.alias_of(host) else {
        return host.to_string();
    };
    ctx.step(
        1,
        format!("destination {host}"),
        Verdict::Info,
        format!("an ExternalName Service: Istio sends it to {target}"),
    );
    target.to_string()
}

/// The subset `name` of the DestinationRule, or the problem of its absence
/// written into `out`.
fn find_subset<'r>(
    out: &mut Destination,
    rule: Option<&'r policy::AppliedRule>,
    name: &str,
) -> Option<&'r istio::Subset> {
    let host = &out.host;
    let Some(rule) = rule else {
        out.problem = Some(format!(
            "no DestinationRule defines subset {name:?} for {host}: Envoy has no such cluster (503)"
        ));
        return None;
    };
    let found = rule
        .subsets
        .iter()
        .find(|s| s.name.as_deref() == Some(name));
    if found.is_none() {
        out.problem = Some(format!(
            "DestinationRule {} has no subset {name:?}: Envoy has no such cluster (503)",
            rule.names.join(" + ")
        ));
    }
    found
}

/// `Kind ns/name` of the workloads of `namespace` the labels select.
fn workloads(index: &Index, namespace: Option<&str>, labels: &StringMap) -> Vec<String> {
    index
        .snapshot
        .workloads_selected(namespace, labels)
        .map(|w| {
            let o = index.snapshot.workload_object(w);
            format!("{} {}", o.kind, qualified(o))
        })
        .collect()
}

fn show_labels(labels: &StringMap) -> String {
    let parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", parts.join(","))
}
/// The workload of the first destination: its Service's selector plus the
/// subset's labels (the labels of the first workload they select, when
/// the input has workloads).
pub fn authorization_target(index: &Index, sim: &Simulation) -> Option<authz::Target> {
    let d = sim.destinations.first()?;
    let (object, service) = index.service(&d.host)?;
    let namespace = object.namespace.clone().unwrap_or_default();
    let spec = service.spec.as_ref();
    let mut labels = spec.and_then(|s| s.selector.clone()).unwrap_or_default();
    labels.extend(d.subset_labels.clone().unwrap_or_default());
    let workload = index
        .snapshot
        .workloads_selected(Some(&namespace), &labels)
        .next();
    let description = match workload {
        Some(w) => {
            let o = index.snapshot.workload_object(w);
            labels = w.labels.clone();
            format!("{} {}", o.kind, qualified(o))
        }
        None => format!(
            "workloads of Service {namespace}/{} {}",
            object.name,
            show_labels(&labels)
        ),
    };
    // The workload receives on the Service port's target port.
    let port = d.port.unwrap_or(80);
    let target_port = spec
        .and_then(|s| s.ports.as_ref())
        .and_then(|ports| ports.iter().find(|p| p.port as u32 == port))
        .and_then(|p| match &p.target_port {
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n)) => {
                Some(*n as u32)
            }
            _ => None,
        })
        .unwrap_or(port);
    Some(authz::Target {
        namespace,
        labels,
        service: Some(object.name.clone()),
        port: target_port,
        description,
    })
}
