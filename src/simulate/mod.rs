//! `meshctl simulate`: where a request goes and why, with Istio's and
//! Envoy's own semantics — which VirtualService and route, which
//! destinations and subsets with which weights, the route's timeout,
//! retries, faults, mirrors and header changes, the DestinationRule's
//! traffic policy, and the AuthorizationPolicy decision at the destination
//! workload. Every step is recorded in a trace a person can follow.
//!
//! Invariants: reads only the [`Snapshot`]; no I/O, no printing. The route
//! decision is made once; `count` draws only repeat Envoy's random choices
//! (weighted cluster, fault percentages) from a seeded generator, so the
//! same seed gives the same counts.

mod authz;
mod draw;
mod hosts;
mod l4;
mod matching;
mod policy;
pub mod request;
mod routing;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::istio::{self, HttpRoute};
use crate::snapshot::Snapshot;
use draw::{Fraction, SplitMix64, weighted_choice};
pub use request::{Protocol, Request, Source};
pub use routing::Index;
use routing::{Decision, RouteEntry, Routed};

/// Istio's retry policy for routes that set none.
pub const DEFAULT_RETRY_ON: &str =
    "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
pub const DEFAULT_RETRY_ATTEMPTS: i32 = 2;
/// The seed of `--count` draws when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// How to simulate, besides the request.
#[derive(Debug, Clone)]
pub struct Options {
    /// The DNS suffix of Services (`name.ns.svc.<domain>`).
    pub cluster_domain: String,
    /// Draw this many requests through Envoy's random choices.
    pub count: Option<u64>,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cluster_domain: crate::snapshot::CLUSTER_DOMAIN.to_string(),
            count: None,
            seed: DEFAULT_SEED,
        }
    }
}

/// The outcome of one simulated request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// The request, normalised: `GET http://host:port/path`, `TCP host:port`
    /// or `TLS host:port`.
    pub request: String,
    /// `HTTP`, `TCP` or `TLS`: which routes of a VirtualService apply.
    pub protocol: String,
    /// The SNI of a TLS connection.
    pub sni: Option<String>,
    /// `mesh` (a sidecar) or the Gateway, `ns/name`.
    pub through: String,
    pub source_namespace: String,
    /// The host the route was chosen for (short names expanded).
    pub host: String,
    /// Whether a VirtualService route matched.
    pub matched: bool,
    pub virtual_service: Option<String>,
    /// The delegate VirtualService whose route matched, if any.
    pub delegate: Option<String>,
    pub http_route_index: Option<usize>,
    pub http_route_name: Option<String>,
    /// The `tcp` route that took a TCP connection (or a TLS one a gateway
    /// terminates).
    pub tcp_route_index: Option<usize>,
    /// The `tls` route that took a TLS connection.
    pub tls_route_index: Option<usize>,
    pub match_index: Option<usize>,
    pub delegate_route_index: Option<usize>,
    /// Why there is no VirtualService route, or no destination.
    pub reason: Option<String>,
    pub destinations: Vec<Destination>,
    pub redirect: Option<Redirect>,
    pub direct_response: Option<DirectResponse>,
    pub rewrite: Option<Rewrite>,
    /// The route timeout; `null` when the route sets none (Envoy's route
    /// timeout is then disabled by Istio).
    pub timeout: Option<String>,
    pub retries: Option<Retries>,
    pub fault: Option<Fault>,
    pub mirrors: Vec<Mirror>,
    /// Header changes of the route (`request`/`response`: set, add, remove).
    pub headers: Option<Value>,
    /// Draws per destination (`host/subset`, or `host`), with `--count`.
    pub counts: Option<Map<String, Value>>,
    /// The exact expected number per destination for the same count.
    pub expected: Option<Map<String, Value>>,
    /// Draws the route's faults delayed or aborted (aborted requests reach
    /// no destination).
    pub fault_counts: Option<FaultCounts>,
    pub authorization: Option<Authorization>,
    pub trace: Vec<Step>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub host: String,
    pub subset: Option<String>,
    pub port: Option<u32>,
    pub weight: u32,
    /// `weight / total weight`.
    pub share: f64,
    pub destination_rule: Option<String>,
    pub subset_labels: Option<BTreeMap<String, String>>,
    /// The workloads the Service (and subset) select: `Kind ns/name`.
    pub workloads: Vec<String>,
    /// The DestinationRule's policy for this subset and port, merged.
    pub traffic_policy: Option<Value>,
    /// Header changes for this destination.
    pub headers: Option<Value>,
    /// What would go wrong on the way (an undefined subset, ...).
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Redirect {
    pub redirect_code: u32,
    pub location: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectResponse {
    pub status: u32,
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rewrite {
    pub uri: Option<String>,
    pub uri_regex_rewrite: Option<Value>,
    pub authority: Option<String>,
    /// The path the destination receives.
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retries {
    /// 0 when the route turns retries off.
    pub attempts: i32,
    pub per_try_timeout: Option<String>,
    pub retry_on: Option<String>,
    /// Istio's default policy (the route sets no `retries`).
    pub default: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub delay: Option<FaultDelay>,
    pub abort: Option<FaultAbort>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultDelay {
    pub fixed_delay: Option<String>,
    /// 0..100; an unspecified percentage delays nothing.
    pub percentage: f64,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultAbort {
    pub http_status: Option<i32>,
    pub grpc_status: Option<String>,
    /// 0..100; an unspecified percentage aborts nothing.
    pub percentage: f64,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mirror {
    pub host: String,
    pub subset: Option<String>,
    pub port: Option<u32>,
    pub percentage: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultCounts {
    pub delayed: u64,
    pub aborted: u64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    /// `ALLOW` or `DENY`.
    pub decision: String,
    /// The policy that decided, `ns/name`; `null` when none did.
    pub policy: Option<String>,
    pub rule_index: Option<usize>,
    /// The workload the policies were evaluated for.
    pub workload: String,
    /// A CUSTOM policy that matched (its provider decides; meshctl takes it
    /// as allowing).
    pub custom: Option<String>,
}

/// One line of the trace.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Nesting, for display.
    pub depth: u8,
    /// What was considered: `VirtualService default/reviews http[0] match[0]`.
    pub subject: String,
    pub verdict: Verdict,
    /// Why, in words: `header end-user: expected exact "jason", got none`.
    pub detail: String,
}

impl Step {
    pub fn new(depth: u8, subject: String, verdict: Verdict, detail: String) -> Self {
        Step {
            depth,
            subject,
            verdict,
            detail,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Info,
    Selected,
    Skipped,
    Matched,
    Failed,
    Allow,
    Deny,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Info => "info",
            Verdict::Selected => "selected",
            Verdict::Skipped => "skipped",
            Verdict::Matched => "matched",
            Verdict::Failed => "failed",
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
        }
    }
}

/// Simulates one request. Errors are about the request description (an
/// unknown `--gateway`), not about where the request goes.
pub fn simulate(
    snapshot: &Snapshot,
    request: &Request,
    options: &Options,
) -> Result<Simulation, String> {
    let index = Index::new(snapshot, &options.cluster_domain);
    simulate_indexed(&index, request, options)
}

/// [`simulate`] with the index already built (to simulate many requests).
pub fn simulate_indexed(
    index: &Index,
    request: &Request,
    options: &Options,
) -> Result<Simulation, String> {
    let mut trace = Vec::new();
    let Routed {
        decision,
        host,
        proxy,
    } = routing::route(index, request, &mut trace)?;
    let mut sim = Simulation {
        request: request.line(),
        protocol: request.protocol.as_str().to_string(),
        sni: (request.protocol == Protocol::Tls).then(|| request.server_name()),
        through: proxy.gateway.clone(),
        source_namespace: request.source.namespace(),
        host: host.clone(),
        matched: false,
        virtual_service: None,
        delegate: None,
        http_route_index: None,
        http_route_name: None,
        tcp_route_index: None,
        tls_route_index: None,
        match_index: None,
        delegate_route_index: None,
        reason: None,
        destinations: Vec::new(),
        redirect: None,
        direct_response: None,
        rewrite: None,
        timeout: None,
        retries: None,
        fault: None,
        mirrors: Vec::new(),
        headers: None,
        counts: None,
        expected: None,
        fault_counts: None,
        authorization: None,
        trace: Vec::new(),
    };
    match decision {
        Decision::Route { entry, match_index } => {
            apply_route(
                index,
                request,
                &proxy,
                &entry,
                match_index,
                &mut sim,
                &mut trace,
            );
        }
        Decision::L4 { route } => {
            apply_l4_route(index, request, &proxy, &route, &mut sim, &mut trace)
        }
        Decision::Default { host, reason } => {
            sim.reason = Some(reason);
            let d = resolve_destination(
                index,
                &proxy,
                &host,
                None,
                None,
                request.port,
                100,
                100,
                &mut trace,
            );
            if request.protocol == Protocol::Http {
                sim.retries = Some(default_retries());
            }
            sim.destinations.push(d);
        }
        Decision::NoRoute {
            reason,
            virtual_service,
        } => {
            sim.reason = Some(reason);
            sim.virtual_service = virtual_service;
        }
        Decision::HttpsRedirect { location } => {
            sim.reason = Some("the gateway server redirects plain HTTP to HTTPS".into());
            sim.redirect = Some(Redirect {
                redirect_code: 301,
                location,
            });
        }
    }
    if let Some(count) = options.count {
        draw_counts(&mut sim, count, options.seed);
    }
    if let Some(target) = authorization_target(index, &sim) {
        sim.authorization = Some(authz::authorize(index, request, &target, &mut trace));
    }
    sim.trace = trace;
    Ok(sim)
}

fn apply_route(
    index: &Index,
    request: &Request,
    proxy: &matching::Proxy,
    entry: &RouteEntry,
    match_index: Option<usize>,
    sim: &mut Simulation,
    trace: &mut Vec<Step>,
) {
    let route = &entry.route;
    sim.matched = true;
    sim.virtual_service = Some(index.vs(entry.vs).name());
    sim.delegate = entry.delegate.map(|d| index.vs(d).name());
    sim.http_route_index = Some(entry.http_index);
    sim.delegate_route_index = entry.delegate_index;
    sim.http_route_name = route.name.clone();
    sim.match_index = match_index;
    sim.headers = route
        .headers
        .as_ref()
        .and_then(|h| serde_json::to_value(h).ok());
    let matched = match_index.and_then(|k| route.matches.get(k));
    if let Some(redirect) = &route.redirect {
        sim.redirect = Some(redirect_of(redirect, request, matched));
        return;
    }
    if let Some(direct) = &route.direct_response {
        sim.direct_response = Some(DirectResponse {
            status: direct.status.unwrap_or(200),
            body: direct
                .body
                .as_ref()
                .and_then(|b| b.string.clone().or_else(|| b.bytes.clone())),
        });
        return;
    }
    sim.rewrite = route
        .rewrite
        .as_ref()
        .map(|r| rewrite_of(r, request, matched));
    sim.timeout = route.timeout.clone();
    sim.retries = Some(match &route.retries {
        None => default_retries(),
        Some(r) if r.attempts.unwrap_or(0) <= 0 => Retries {
            attempts: 0,
            per_try_timeout: None,
            retry_on: None,
            default: false,
        },
        Some(r) => Retries {
            attempts: r.attempts.unwrap_or(0),
            per_try_timeout: r.per_try_timeout.clone(),
            retry_on: Some(
                r.retry_on
                    .clone()
                    .unwrap_or_else(|| DEFAULT_RETRY_ON.into()),
            ),
            default: false,
        },
    });
    sim.fault = route.fault.as_ref().map(fault_of);
    sim.mirrors = mirrors_of(route);
    let items = route
        .route
        .iter()
        .filter_map(|d| Some((d.destination.as_ref()?, d.weight, d.headers.as_ref())));
    push_destinations(index, request, proxy, items, sim, trace);
}

/// A matched `tcp` or `tls` route: its weighted destinations, nothing
/// HTTP-only.
fn apply_l4_route(
    index: &Index,
    request: &Request,
    proxy: &matching::Proxy,
    route: &l4::L4Route,
    sim: &mut Simulation,
    trace: &mut Vec<Step>,
) {
    sim.matched = true;
    sim.virtual_service = Some(index.vs(route.vs).name());
    match route.protocol {
        Protocol::Tls => sim.tls_route_index = Some(route.route_index),
        _ => sim.tcp_route_index = Some(route.route_index),
    }
    sim.match_index = route.match_index;
    let items = route
        .route
        .iter()
        .filter_map(|d| Some((d.destination.as_ref()?, d.weight, None::<&Value>)));
    push_destinations(index, request, proxy, items, sim, trace);
}

/// A route's destinations as Envoy gets them (HTTP and TCP alike): one
/// destination is a plain cluster whatever its weight; several are
/// weighted clusters, without the zero-weight ones.
fn push_destinations<'r, H: Serialize + 'r>(
    index: &Index,
    request: &Request,
    proxy: &matching::Proxy,
    items: impl Iterator<Item = (&'r istio::Destination, Option<i32>, Option<&'r H>)>,
    sim: &mut Simulation,
    trace: &mut Vec<Step>,
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
        let host = dest.host.clone().unwrap_or_default();
        let port = dest.port.as_ref().and_then(|p| p.number);
        let mut out = resolve_destination(
            index,
            proxy,
            &host,
            dest.subset.as_deref(),
            port,
            request.port,
            weight,
            total,
            trace,
        );
        out.headers = headers.and_then(|h| serde_json::to_value(h).ok());
        sim.destinations.push(out);
    }
    if sim.destinations.is_empty() {
        sim.reason = Some("the matched route has no destination with a weight above 0".into());
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve_destination(
    index: &Index,
    proxy: &matching::Proxy,
    host: &str,
    subset: Option<&str>,
    port: Option<u32>,
    listener_port: u32,
    weight: u32,
    total: u32,
    trace: &mut Vec<Step>,
) -> Destination {
    let service = index.service(host);
    // Istio's cluster port: the destination's, else the Service's only
    // port, else the port the request came in on.
    let port = port.or_else(|| {
        let ports = service?.1.spec.as_ref()?.ports.as_ref()?;
        (ports.len() == 1).then(|| ports[0].port as u32)
    });
    let port = port.unwrap_or(listener_port);
    let subject = match subset {
        Some(s) => format!("destination {host} subset {s}"),
        None => format!("destination {host}"),
    };
    trace.push(Step::new(
        1,
        subject.clone(),
        Verdict::Info,
        format!(
            "port {}, weight {weight}{}",
            port,
            if service.is_some() {
                ""
            } else {
                " (not a Service in the input)"
            }
        ),
    ));
    let rule = policy::destination_rule(index, host, &proxy.namespace, &proxy.labels, trace);
    let mut out = Destination {
        host: host.to_string(),
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
    let subset_spec = match (subset, &rule) {
        (None, _) => None,
        (Some(name), None) => {
            out.problem = Some(format!(
                "no DestinationRule defines subset {name:?} for {host}: Envoy has no such cluster (503)"
            ));
            None
        }
        (Some(name), Some(rule)) => {
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
    };
    if let Some(problem) = &out.problem {
        trace.push(Step::new(
            2,
            subject.clone(),
            Verdict::Failed,
            problem.clone(),
        ));
    }
    if let Some(s) = subset_spec {
        out.subset_labels = Some(s.labels.clone());
    }
    out.traffic_policy = policy::merged_policy(
        rule.as_ref().and_then(|r| r.traffic_policy.as_ref()),
        subset_spec.and_then(|s| s.traffic_policy.as_ref()),
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
        let ns = object.namespace.as_deref();
        if !labels.is_empty() {
            out.workloads = index
                .snapshot
                .workloads_selected(ns, &labels)
                .map(|w| {
                    let o = index.snapshot.workload_object(w);
                    format!("{} {}", o.kind, routing::qualified(o))
                })
                .collect();
        }
        trace.push(Step::new(
            2,
            subject,
            Verdict::Info,
            format!(
                "selects {} workload(s) with labels {}",
                out.workloads.len(),
                show_labels(&labels)
            ),
        ));
    }
    out
}

fn show_labels(labels: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", parts.join(","))
}

fn default_retries() -> Retries {
    Retries {
        attempts: DEFAULT_RETRY_ATTEMPTS,
        per_try_timeout: None,
        retry_on: Some(DEFAULT_RETRY_ON.into()),
        default: true,
    }
}

fn fault_of(f: &istio::HttpFaultInjection) -> Fault {
    Fault {
        delay: f.delay.as_ref().map(|d| FaultDelay {
            fixed_delay: d.fixed_delay.clone(),
            percentage: delay_fraction(d).share() * 100.0,
            problem: d
                .fixed_delay
                .is_none()
                .then(|| "Istio does not program exponential delays: no delay".into()),
        }),
        abort: f.abort.as_ref().map(|a| FaultAbort {
            http_status: a.http_status,
            grpc_status: a.grpc_status.clone(),
            percentage: abort_fraction(a).share() * 100.0,
            problem: (a.http_status.is_none() && a.grpc_status.is_none())
                .then(|| "Istio programs only HTTP and gRPC aborts: no abort".into()),
        }),
    }
}

fn delay_fraction(d: &istio::Delay) -> Fraction {
    if d.fixed_delay.is_none() {
        return Fraction::from_percent(0);
    }
    match d.percentage.as_ref() {
        Some(p) => Fraction::from_percentage(p.value.unwrap_or(0.0)),
        None => Fraction::from_percent(i64::from(d.percent.unwrap_or(0))),
    }
}

fn abort_fraction(a: &istio::Abort) -> Fraction {
    if a.http_status.is_none() && a.grpc_status.is_none() {
        return Fraction::from_percent(0);
    }
    Fraction::from_percentage(a.percentage.as_ref().and_then(|p| p.value).unwrap_or(0.0))
}

fn mirrors_of(route: &HttpRoute) -> Vec<Mirror> {
    let mirror = |d: &istio::Destination, percentage: f64| Mirror {
        host: d.host.clone().unwrap_or_default(),
        subset: d.subset.clone(),
        port: d.port.as_ref().and_then(|p| p.number),
        percentage,
    };
    let mut out = Vec::new();
    if let Some(d) = &route.mirror {
        let percentage = match (
            &route.mirror_percentage,
            route.mirror_percent.or(route.mirror_percent_legacy),
        ) {
            (Some(p), _) => p.value.unwrap_or(0.0),
            (None, Some(p)) => f64::from(p),
            (None, None) => 100.0,
        };
        if percentage > 0.0 {
            out.push(mirror(d, percentage));
        }
    }
    for m in &route.mirrors {
        let percentage = m
            .percentage
            .as_ref()
            .map_or(100.0, |p| p.value.unwrap_or(0.0));
        if let Some(d) = &m.destination
            && percentage > 0.0
        {
            out.push(mirror(d, percentage));
        }
    }
    out
}

/// The path Envoy forwards: a prefix rewrite replaces the matched prefix
/// (the whole path for exact and regex matches, `/` without a uri match);
/// a regex rewrite substitutes every match.
fn rewrite_of(
    r: &istio::HttpRewrite,
    request: &Request,
    matched: Option<&istio::HttpMatchRequest>,
) -> Rewrite {
    let mut path = request.path.clone();
    if let Some(rr) = &r.uri_regex_rewrite {
        if let (Some(pattern), Some(to)) = (&rr.matches, &rr.rewrite)
            && let Ok(re) = regex::Regex::new(pattern)
        {
            path = re
                .replace_all(&path, envoy_substitution(to).as_str())
                .into_owned();
        }
    } else if let Some(uri) = &r.uri {
        let matched_len = match matched
            .and_then(|m| m.uri.as_ref())
            .map(matching::Pattern::of)
        {
            Some(matching::Pattern::Prefix(p)) => p.len(),
            Some(_) => path.len(),
            None => 1,
        };
        path = format!(
            "{uri}{}",
            path.get(matched_len.min(path.len())..).unwrap_or("")
        );
    }
    Rewrite {
        uri: r.uri.clone(),
        uri_regex_rewrite: r
            .uri_regex_rewrite
            .as_ref()
            .and_then(|x| serde_json::to_value(x).ok()),
        authority: r.authority.clone(),
        path,
    }
}

/// Envoy writes capture groups as `\1`; the regex crate as `${1}`.
fn envoy_substitution(to: &str) -> String {
    let mut out = String::new();
    let mut chars = to.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(d)) if d.is_ascii_digit() => {
                out.push_str(&format!("${{{d}}}"));
                chars.next();
            }
            ('$', _) => out.push_str("$$"),
            _ => out.push(c),
        }
    }
    out
}

fn redirect_of(
    r: &istio::HttpRedirect,
    request: &Request,
    matched: Option<&istio::HttpMatchRequest>,
) -> Redirect {
    let scheme = r.scheme.clone().unwrap_or_else(|| request.scheme.clone());
    let port = match (r.port, r.derive_port) {
        (Some(p), _) => Some(p),
        (None, Some(istio::RedirectPortSelection::FromRequestPort)) => Some(request.port),
        _ => None,
    };
    let host = r.authority.clone().unwrap_or_else(|| request.host.clone());
    let authority = match port {
        Some(p) => format!("{host}:{p}"),
        None if r.authority.is_none() => request.authority.clone(),
        None => host,
    };
    let path = if let Some(uri) = &r.uri {
        uri.clone()
    } else if let Some(prefix) = &r.prefix_rewrite {
        let rewrite = istio::HttpRewrite {
            uri: Some(prefix.clone()),
            ..Default::default()
        };
        rewrite_of(&rewrite, request, matched).path
    } else {
        request.path.clone()
    };
    let query = if request.query.is_empty() || path.contains('?') {
        String::new()
    } else {
        format!("?{}", request.query)
    };
    Redirect {
        redirect_code: r.redirect_code.unwrap_or(301),
        location: format!("{scheme}://{authority}{path}{query}"),
    }
}

/// `host/subset`, or `host`.
fn count_key(d: &Destination) -> String {
    match &d.subset {
        Some(s) => format!("{}/{s}", d.host),
        None => d.host.clone(),
    }
}

/// Draws `count` requests: the fault filter's delay and abort draws, then
/// (for requests not aborted) Envoy's weighted cluster choice.
fn draw_counts(sim: &mut Simulation, count: u64, seed: u64) {
    let mut cumulative = Vec::with_capacity(sim.destinations.len());
    let mut running = 0u64;
    for d in &sim.destinations {
        running += u64::from(d.weight);
        cumulative.push(running);
    }
    let fault = sim.fault.as_ref();
    let delay = fault
        .and_then(|f| f.delay.as_ref())
        .map(|d| Fraction::from_percentage(d.percentage))
        .filter(|f| f.numerator > 0);
    let abort = fault
        .and_then(|f| f.abort.as_ref())
        .map(|a| Fraction::from_percentage(a.percentage))
        .filter(|f| f.numerator > 0);
    let mut hits = vec![0u64; sim.destinations.len()];
    let (mut delayed, mut aborted) = (0u64, 0u64);
    let mut rng = SplitMix64::new(seed);
    let single = sim.destinations.len() == 1;
    for _ in 0..count {
        if let Some(f) = delay
            && f.hit(rng.next_u64())
        {
            delayed += 1;
        }
        if let Some(f) = abort
            && f.hit(rng.next_u64())
        {
            aborted += 1;
            continue;
        }
        if single {
            hits[0] += 1;
        } else if let Some(i) = weighted_choice(&cumulative, rng.next_u64()) {
            hits[i] += 1;
        }
    }
    let reach = 1.0 - abort.map_or(0.0, Fraction::share);
    let mut counts = Map::new();
    let mut expected = Map::new();
    for (d, n) in sim.destinations.iter().zip(&hits) {
        let key = count_key(d);
        let before = counts.get(&key).and_then(Value::as_u64).unwrap_or(0);
        counts.insert(key.clone(), Value::from(before + n));
        let e = expected.get(&key).and_then(Value::as_f64).unwrap_or(0.0);
        expected.insert(key, Value::from(e + count as f64 * d.share * reach));
    }
    sim.counts = Some(counts);
    sim.expected = Some(expected);
    if fault.is_some() {
        sim.fault_counts = Some(FaultCounts { delayed, aborted });
    }
}

/// The workload of the first destination: its Service's selector plus the
/// subset's labels (the labels of the first workload they select, when
/// the input has workloads).
fn authorization_target(index: &Index, sim: &Simulation) -> Option<authz::Target> {
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
            format!("{} {}", o.kind, routing::qualified(o))
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
