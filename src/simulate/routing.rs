//! Which VirtualService and which HTTP route a request gets: host
//! matching, exportTo, gateway binding, Istio's merging of several
//! VirtualServices on a gateway, delegates, then the routes in order.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::api::core::v1::Service;

use super::hosts;
use super::l4::{self, L4Outcome, L4Route};
use super::matching::{self, Proxy};
use super::request::{Protocol, Request};
use super::{Step, Verdict};
use crate::model::Object;
use crate::model::istio::{
    GatewaySpec, HttpMatchRequest, HttpRoute, Server, ServerTlsMode, VirtualServiceSpec,
};
use crate::snapshot::Snapshot;

/// The resources simulate reads, indexed once by host.
pub struct Index<'a> {
    pub snapshot: &'a Snapshot,
    pub domain: String,
    services: HashMap<String, (&'a Object, &'a Service)>,
    virtual_services: Vec<Vs<'a>>,
    vs_by_host: HashMap<String, Vec<usize>>,
    vs_wildcard: Vec<usize>,
    delegates: HashMap<(String, String), usize>,
}

/// A VirtualService with its hosts and gateways resolved as Istio
/// resolves them.
pub struct Vs<'a> {
    pub object: &'a Object,
    pub spec: &'a VirtualServiceSpec,
    pub hosts: Vec<String>,
    pub gateways: Vec<String>,
}

impl Vs<'_> {
    pub fn name(&self) -> String {
        qualified(self.object)
    }

    fn namespace(&self) -> &str {
        self.object.namespace.as_deref().unwrap_or_default()
    }

    fn bound_to(&self, gateway: &str) -> bool {
        if self.gateways.is_empty() {
            gateway == MESH
        } else {
            self.gateways.iter().any(|g| g == gateway)
        }
    }
}

pub const MESH: &str = "mesh";

/// `namespace/name` of an object.
pub fn qualified(object: &Object) -> String {
    format!(
        "{}/{}",
        object.namespace.as_deref().unwrap_or_default(),
        object.name
    )
}

/// Istio's `exportTo`: empty is public; `.` is the own namespace.
pub fn exported_to(export_to: &[String], own: &str, namespace: &str) -> bool {
    export_to.is_empty()
        || export_to
            .iter()
            .any(|e| e == "*" || e == namespace || (e == "." && own == namespace))
}

/// Istio's order among configurations: creation time, then name, then
/// namespace.
pub fn creation_order(object: &Object) -> impl Ord + '_ {
    (
        object.metadata().creation_timestamp.clone(),
        object.name.as_str(),
        object.namespace.as_deref().unwrap_or_default(),
    )
}

/// A gateway reference as a VirtualService of `namespace` writes it, to
/// `ns/name` (`mesh` stays).
pub(super) fn resolve_gateway(name: &str, namespace: &str) -> String {
    if name == MESH {
        return name.to_string();
    }
    match name.split_once('/') {
        Some((".", rest)) => format!("{namespace}/{rest}"),
        Some(_) => name.to_string(),
        None => match name.split_once('.') {
            // Legacy `name.ns[.svc.cluster.local]`.
            Some((short, rest)) => {
                let ns = rest.split('.').next().unwrap_or(rest);
                format!("{ns}/{short}")
            }
            None => format!("{namespace}/{name}"),
        },
    }
}

impl<'a> Index<'a> {
    pub fn new(snapshot: &'a Snapshot, domain: &str) -> Self {
        let mut index = Index {
            snapshot,
            domain: domain.to_string(),
            services: HashMap::new(),
            virtual_services: Vec::new(),
            vs_by_host: HashMap::new(),
            vs_wildcard: Vec::new(),
            delegates: HashMap::new(),
        };
        for (object, service) in snapshot.services() {
            let ns = object.namespace.as_deref().unwrap_or_default();
            index
                .services
                .entry(format!("{}.{ns}.svc.{domain}", object.name))
                .or_insert((object, service));
        }
        for (object, spec) in snapshot.virtual_services() {
            let ns = object.namespace.as_deref().unwrap_or_default();
            let id = index.virtual_services.len();
            let vs = Vs {
                object,
                spec,
                hosts: spec
                    .hosts
                    .iter()
                    .map(|h| hosts::resolve(h, ns, domain))
                    .collect(),
                gateways: spec
                    .gateways
                    .iter()
                    .map(|g| resolve_gateway(g, ns))
                    .collect(),
            };
            if vs.hosts.is_empty() {
                index
                    .delegates
                    .insert((ns.to_string(), object.name.clone()), id);
            }
            for host in &vs.hosts {
                if host.starts_with('*') {
                    index.vs_wildcard.push(id);
                } else {
                    index.vs_by_host.entry(host.clone()).or_default().push(id);
                }
            }
            index.virtual_services.push(vs);
        }
        index.vs_wildcard.dedup();
        index
    }

    /// The Kubernetes Service of a full host name.
    pub fn service(&self, host: &str) -> Option<(&'a Object, &'a Service)> {
        self.services.get(host).copied()
    }

    pub fn vs(&self, id: usize) -> &Vs<'a> {
        &self.virtual_services[id]
    }

    /// VirtualServices with a host that may match `host`.
    fn vs_candidates(&self, host: &str) -> Vec<usize> {
        let mut ids: Vec<usize> = self.vs_by_host.get(host).cloned().unwrap_or_default();
        ids.extend(self.vs_wildcard.iter().copied().filter(|&id| {
            self.virtual_services[id]
                .hosts
                .iter()
                .any(|h| hosts::matches(h, host))
        }));
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// One HTTP route of a VirtualService after delegation, with destination
/// hosts resolved.
#[derive(Debug, Clone)]
pub struct RouteEntry {
    pub vs: usize,
    pub http_index: usize,
    pub delegate: Option<usize>,
    pub delegate_index: Option<usize>,
    pub route: HttpRoute,
}

impl RouteEntry {
    fn label(&self, index: &Index) -> String {
        let mut label = format!(
            "VirtualService {} http[{}]",
            index.vs(self.vs).name(),
            self.http_index
        );
        if let (Some(d), Some(i)) = (self.delegate, self.delegate_index) {
            label.push_str(&format!(" -> delegate {} http[{i}]", index.vs(d).name()));
        }
        if let Some(name) = &self.route.name {
            label.push_str(&format!(" ({name})"));
        }
        label
    }
}

/// Where routing ended.
#[derive(Debug)]
pub enum Decision {
    /// A route matched (`match_index` is `None` for a route without match blocks).
    Route {
        entry: Box<RouteEntry>,
        match_index: Option<usize>,
    },
    /// No VirtualService for the host, or no TCP route of its
    /// VirtualService matched: the host's default route, and why.
    Default { host: String, reason: String },
    /// A `tcp` or `tls` route matched.
    L4 { route: Box<L4Route> },
    /// No route: Envoy answers 404 (or the gateway does not take the request).
    NoRoute {
        reason: String,
        virtual_service: Option<String>,
    },
    /// A gateway server with `httpsRedirect` answers plain HTTP with 301.
    HttpsRedirect { location: String },
}

/// What routing found: the decision, the host it was made for, the proxy.
pub struct Routed {
    pub decision: Decision,
    pub host: String,
    pub proxy: Proxy,
}

pub fn route(index: &Index, request: &Request, trace: &mut Vec<Step>) -> Result<Routed, String> {
    match &request.gateway {
        None => Ok(route_mesh(index, request, trace)),
        Some(gateway) => route_gateway(index, request, gateway, trace),
    }
}

fn route_mesh(index: &Index, request: &Request, trace: &mut Vec<Step>) -> Routed {
    let namespace = request.source.namespace();
    let host = hosts::expand_request_host(&request.host, &namespace, &index.domain, |h| {
        index.service(h).is_some() || index.vs_by_host.contains_key(h)
    });
    let proxy = Proxy {
        gateway: MESH.to_string(),
        labels: request.source.labels.clone(),
        namespace: namespace.clone(),
        port: request.port,
    };
    trace.push(Step::new(
        0,
        format!("host {host}"),
        Verdict::Info,
        format!(
            "request host {:?} from a sidecar in namespace {namespace:?}, port {}",
            request.host, request.port
        ),
    ));
    // Every VirtualService with a host matching, then the ones the sidecar
    // sees: bound to `mesh` and exported to the caller's namespace.
    let mut usable: Vec<(usize, (u8, usize), u8)> = Vec::new();
    for id in index.vs_candidates(&host) {
        let vs = index.vs(id);
        if vs.hosts.is_empty() {
            continue;
        }
        let subject = format!("VirtualService {}", vs.name());
        if !vs.bound_to(MESH) {
            trace.push(Step::new(
                1,
                subject,
                Verdict::Skipped,
                format!(
                    "bound to gateways [{}], not mesh (sidecars)",
                    vs.gateways.join(", ")
                ),
            ));
            continue;
        }
        if !exported_to(&vs.spec.export_to, vs.namespace(), &namespace) {
            trace.push(Step::new(
                1,
                subject,
                Verdict::Skipped,
                format!(
                    "exportTo [{}] does not include namespace {namespace:?}",
                    vs.spec.export_to.join(", ")
                ),
            ));
            continue;
        }
        let best = best_host(&vs.hosts, &host);
        // Istio lists those private to the namespace first, then those
        // exported to it by name, then public ones.
        let class = if vs.namespace() == namespace
            && vs
                .spec
                .export_to
                .iter()
                .any(|e| e == "." || *e == namespace)
            && !vs.spec.export_to.iter().any(|e| e == "*")
        {
            0
        } else if vs.spec.export_to.contains(&namespace) {
            1
        } else {
            2
        };
        usable.push((id, best, class));
    }
    let Some(top) = usable.iter().map(|u| u.1).max() else {
        trace.push(Step::new(
            1,
            format!("host {host}"),
            Verdict::Info,
            "no VirtualService for this host: the default route".into(),
        ));
        return Routed {
            decision: Decision::Default {
                host: host.clone(),
                reason: format!("no VirtualService for {host}: the host's default route"),
            },
            host,
            proxy,
        };
    };
    let mut winners: Vec<&(usize, (u8, usize), u8)> =
        usable.iter().filter(|u| u.1 == top).collect();
    winners.sort_by(|a, b| {
        a.2.cmp(&b.2).then_with(|| {
            creation_order(index.vs(a.0).object).cmp(&creation_order(index.vs(b.0).object))
        })
    });
    for loser in usable.iter().filter(|u| u.1 < top) {
        trace.push(Step::new(
            1,
            format!("VirtualService {}", index.vs(loser.0).name()),
            Verdict::Skipped,
            "another VirtualService has a more specific host for this request".into(),
        ));
    }
    for shadowed in &winners[1..] {
        trace.push(Step::new(
            1,
            format!("VirtualService {}", index.vs(shadowed.0).name()),
            Verdict::Skipped,
            format!(
                "same host as {}, which comes first; sidecars keep only the first VirtualService of a host",
                index.vs(winners[0].0).name()
            ),
        ));
    }
    let chosen = winners[0].0;
    let vs = index.vs(chosen);
    trace.push(Step::new(
        1,
        format!("VirtualService {}", vs.name()),
        Verdict::Selected,
        format!("host {:?} matches", matching_host(&vs.hosts, &host)),
    ));
    if request.protocol != Protocol::Http {
        let decision = l4_decision(
            index,
            &[chosen],
            request.protocol,
            &proxy,
            request,
            &host,
            false,
            trace,
        );
        return Routed {
            decision,
            host,
            proxy,
        };
    }
    let entries = flatten(index, chosen, &proxy, trace);
    let decision = first_match(index, &entries, request, trace, Some(vs.name()));
    Routed {
        decision,
        host,
        proxy,
    }
}

fn route_gateway(
    index: &Index,
    request: &Request,
    gateway: &str,
    trace: &mut Vec<Step>,
) -> Result<Routed, String> {
    let (gw_ns, gw_name) = gateway
        .split_once('/')
        .ok_or_else(|| format!("--gateway {gateway:?} is not NAMESPACE/NAME"))?;
    let (object, spec): (&Object, &GatewaySpec) = index
        .snapshot
        .gateways()
        .find(|(o, _)| o.name == gw_name && o.namespace.as_deref() == Some(gw_ns))
        .ok_or_else(|| {
            format!("--gateway {gateway}: no valid Gateway of that name in the input")
        })?;
    // The gateway's own pods are the proxy: their labels and namespace.
    let workload = index
        .snapshot
        .workloads_selected(None, &spec.selector)
        .next();
    let proxy = Proxy {
        gateway: gateway.to_string(),
        labels: workload.map_or_else(|| spec.selector.clone(), |w| w.labels.clone()),
        namespace: workload.map_or_else(|| gw_ns.to_string(), |w| w.namespace.clone()),
        port: request.port,
    };
    let host = request.host.clone();
    let on_port: Vec<&Server> = spec
        .servers
        .iter()
        .filter(|s| s.port.as_ref().and_then(|p| p.number) == Some(request.port))
        .collect();
    let no_route = |reason: String| Routed {
        decision: Decision::NoRoute {
            reason,
            virtual_service: None,
        },
        host: host.clone(),
        proxy: proxy.clone(),
    };
    if on_port.is_empty() {
        let reason = format!("Gateway {gateway} has no server on port {}", request.port);
        trace.push(Step::new(
            0,
            format!("Gateway {gateway}"),
            Verdict::Failed,
            reason.clone(),
        ));
        return Ok(no_route(reason));
    }
    // Servers on the port whose hosts admit the request host.
    let mut admitting: Vec<(&Server, Vec<(String, String)>)> = Vec::new();
    for server in on_port {
        let server_hosts: Vec<(String, String)> = server
            .hosts
            .iter()
            .map(|h| split_server_host(h, gw_ns))
            .filter(|(_, dns)| hosts::matches(dns, &host))
            .collect();
        if !server_hosts.is_empty() {
            admitting.push((server, server_hosts));
        }
    }
    let Some((server, _)) = admitting.first() else {
        let reason = format!(
            "no server of Gateway {gateway} on port {} admits host {host:?}",
            request.port
        );
        trace.push(Step::new(
            0,
            format!("Gateway {gateway}"),
            Verdict::Failed,
            reason.clone(),
        ));
        return Ok(no_route(reason));
    };
    let protocol = server
        .port
        .as_ref()
        .and_then(|p| p.protocol.as_deref())
        .unwrap_or("HTTP")
        .to_ascii_uppercase();
    trace.push(Step::new(
        0,
        format!("Gateway {}", qualified(object)),
        Verdict::Selected,
        format!(
            "server on port {} ({protocol}) admits host {host:?}",
            request.port
        ),
    ));
    let passthrough = matches!(
        server.tls.as_ref().and_then(|t| t.mode),
        Some(ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough)
    );
    // Which routes the server uses: HTTP servers `http` routes, TLS
    // passthrough servers `tls` routes, other TCP-level servers (TLS
    // terminated at the gateway included) `tcp` routes.
    let routes_kind = match protocol.as_str() {
        "HTTP" | "HTTPS" | "HTTP2" | "GRPC" | "GRPC-WEB" => Protocol::Http,
        "TLS" if passthrough => Protocol::Tls,
        _ => Protocol::Tcp,
    };
    let fits = match request.protocol {
        Protocol::Http => routes_kind == Protocol::Http,
        Protocol::Tcp => routes_kind == Protocol::Tcp && protocol != "TLS",
        Protocol::Tls => routes_kind != Protocol::Http,
    };
    if !fits {
        let reason = match request.protocol {
            Protocol::Http => {
                format!("the server's protocol is {protocol}: no HTTP routing on this port")
            }
            other => format!(
                "the server's protocol is {protocol}: it does not take a {} connection",
                other.as_str()
            ),
        };
        trace.push(Step::new(
            1,
            format!("Gateway {gateway}"),
            Verdict::Failed,
            reason.clone(),
        ));
        return Ok(no_route(reason));
    }
    if request.scheme == "http"
        && server
            .tls
            .as_ref()
            .and_then(|t| t.https_redirect)
            .unwrap_or(false)
    {
        let location = format!("https://{}{}", request.host, request.path_and_query());
        trace.push(Step::new(
            1,
            format!("Gateway {gateway}"),
            Verdict::Matched,
            "the server sets tls.httpsRedirect: plain HTTP is redirected (301)".into(),
        ));
        return Ok(Routed {
            decision: Decision::HttpsRedirect { location },
            host,
            proxy,
        });
    }
    // VirtualServices bound to this gateway, exported to its namespace,
    // whose namespace the server's hosts allow, with a host that both the
    // server and the request match. Each gives an Envoy virtual host
    // domain (the narrower of its host and the server's).
    let mut bound: Vec<(usize, String)> = Vec::new();
    for id in index.vs_candidates(&host) {
        let vs = index.vs(id);
        if vs.hosts.is_empty() {
            continue;
        }
        let subject = format!("VirtualService {}", vs.name());
        if !vs.bound_to(gateway) {
            let to = if vs.gateways.is_empty() {
                "mesh only (no gateways)".to_string()
            } else {
                format!("[{}]", vs.gateways.join(", "))
            };
            trace.push(Step::new(
                1,
                subject,
                Verdict::Skipped,
                format!("bound to {to}, not {gateway}"),
            ));
            continue;
        }
        if !exported_to(&vs.spec.export_to, vs.namespace(), &proxy.namespace) {
            trace.push(Step::new(
                1,
                subject,
                Verdict::Skipped,
                format!(
                    "not exported to the gateway's namespace {:?}",
                    proxy.namespace
                ),
            ));
            continue;
        }
        let mut domain: Option<String> = None;
        for (_, server_hosts) in &admitting {
            for (ns, dns) in server_hosts {
                if ns != "*" && ns != vs.namespace() {
                    continue;
                }
                for vh in vs
                    .hosts
                    .iter()
                    .filter(|h| hosts::matches(h, &host) && hosts::matches(h, dns))
                {
                    let d = hosts::narrower(vh, dns).to_string();
                    if domain
                        .as_ref()
                        .is_none_or(|cur| hosts::specificity(&d) > hosts::specificity(cur))
                    {
                        domain = Some(d);
                    }
                }
            }
        }
        match domain {
            Some(d) => bound.push((id, d)),
            None => trace.push(Step::new(
                1,
                subject,
                Verdict::Skipped,
                "the gateway's server hosts do not admit this VirtualService's namespace and hosts"
                    .into(),
            )),
        }
    }
    let Some(top) = bound.iter().map(|(_, d)| hosts::specificity(d)).max() else {
        let reason = format!("no VirtualService bound to Gateway {gateway} serves host {host:?}");
        trace.push(Step::new(
            1,
            format!("Gateway {gateway}"),
            Verdict::Failed,
            reason.clone(),
        ));
        return Ok(no_route(reason));
    };
    let mut merged: Vec<&(usize, String)> = bound
        .iter()
        .filter(|(_, d)| hosts::specificity(d) == top)
        .collect();
    merged.sort_by(|a, b| {
        creation_order(index.vs(a.0).object).cmp(&creation_order(index.vs(b.0).object))
    });
    for (id, d) in bound.iter().filter(|(_, d)| hosts::specificity(d) < top) {
        trace.push(Step::new(
            1,
            format!("VirtualService {}", index.vs(*id).name()),
            Verdict::Skipped,
            format!("its domain {d:?} is less specific than {:?}", merged[0].1),
        ));
    }
    let names: Vec<String> = merged.iter().map(|(id, _)| index.vs(*id).name()).collect();
    for (id, d) in &merged {
        let detail = if merged.len() > 1 {
            format!(
                "domain {d:?}; routes merged with [{}] in creation order, catch-all routes last",
                names.join(", ")
            )
        } else {
            format!("domain {d:?}")
        };
        trace.push(Step::new(
            1,
            format!("VirtualService {}", index.vs(*id).name()),
            Verdict::Selected,
            detail,
        ));
    }
    if request.protocol != Protocol::Http {
        let ids: Vec<usize> = merged.iter().map(|(id, _)| *id).collect();
        let decision = l4_decision(
            index,
            &ids,
            routes_kind,
            &proxy,
            request,
            &host,
            true,
            trace,
        );
        return Ok(Routed {
            decision,
            host,
            proxy,
        });
    }
    let mut entries = Vec::new();
    for (id, _) in &merged {
        entries.extend(flatten(index, *id, &proxy, trace));
    }
    // Istio moves catch-all routes behind the others when it merges.
    if merged.len() > 1 {
        let (specific, catch_all): (Vec<_>, Vec<_>) =
            entries
                .into_iter()
                .partition(|(e, m): &(RouteEntry, Option<usize>)| {
                    !matching::is_catch_all(m.and_then(|k| e.route.matches.get(k)))
                });
        entries = specific.into_iter().chain(catch_all).collect();
    }
    let only = (merged.len() == 1).then(|| names[0].clone());
    let decision = first_match(index, &entries, request, trace, only);
    Ok(Routed {
        decision,
        host,
        proxy,
    })
}

/// The TCP or TLS routes of the chosen VirtualServices. Without a match, a
/// sidecar sends TCP to the host's default route, and TLS too unless some
/// `tls` match block was given to it (then no filter chain takes the
/// connection); a gateway has no default route.
#[allow(clippy::too_many_arguments)]
fn l4_decision(
    index: &Index,
    vs_ids: &[usize],
    kind: Protocol,
    proxy: &Proxy,
    request: &Request,
    host: &str,
    gateway: bool,
    trace: &mut Vec<Step>,
) -> Decision {
    let vs_name = (vs_ids.len() == 1).then(|| index.vs(vs_ids[0]).name());
    let listener_has_routes = match l4::first_match(index, vs_ids, kind, proxy, request, trace) {
        L4Outcome::Matched(route) => {
            return Decision::L4 {
                route: Box::new(route),
            };
        }
        L4Outcome::NoMatch {
            listener_has_routes,
        } => listener_has_routes,
    };
    let routes = if kind == Protocol::Tls { "tls" } else { "tcp" };
    let reason = if gateway {
        format!("no {routes} route matches the connection: the gateway closes it")
    } else if kind == Protocol::Tls && listener_has_routes {
        format!(
            "no tls route matches SNI {:?}: no filter chain takes the connection, which is closed",
            request.server_name()
        )
    } else {
        let reason = format!("no {routes} route matches the connection: the host's default route");
        trace.push(Step::new(1, "routes".into(), Verdict::Info, reason.clone()));
        return Decision::Default {
            host: host.to_string(),
            reason,
        };
    };
    no_route(reason, vs_name, trace)
}

/// `ns/host` of a Gateway server (`*/` when no namespace; `.` is the
/// gateway's own).
fn split_server_host(entry: &str, gateway_namespace: &str) -> (String, String) {
    match entry.split_once('/') {
        Some((".", dns)) => (gateway_namespace.to_string(), dns.to_ascii_lowercase()),
        Some((ns, dns)) => (ns.to_string(), dns.to_ascii_lowercase()),
        None => ("*".to_string(), entry.to_ascii_lowercase()),
    }
}

fn best_host(vs_hosts: &[String], host: &str) -> (u8, usize) {
    vs_hosts
        .iter()
        .filter(|h| hosts::matches(h, host))
        .map(|h| hosts::specificity(h))
        .max()
        .unwrap_or((0, 0))
}

fn matching_host<'h>(vs_hosts: &'h [String], host: &str) -> &'h str {
    vs_hosts
        .iter()
        .filter(|h| hosts::matches(h, host))
        .max_by_key(|h| hosts::specificity(h))
        .map_or("", String::as_str)
}

/// A VirtualService's HTTP routes, delegates merged in, as the Envoy
/// routes the proxy gets: one per match block (or one for a route without
/// match blocks), blocks the proxy does not get dropped, and nothing
/// after a catch-all.
fn flatten(
    index: &Index,
    vs_id: usize,
    proxy: &Proxy,
    trace: &mut Vec<Step>,
) -> Vec<(RouteEntry, Option<usize>)> {
    let mut out = Vec::new();
    for entry in expand_delegates(index, vs_id, trace) {
        let label = entry.label(index);
        if entry.route.matches.is_empty() {
            out.push((entry, None));
            break;
        }
        let mut catch_all = false;
        for (k, m) in entry.route.matches.iter().enumerate() {
            if let Err(why) = matching::proxy_filter(m, proxy) {
                trace.push(Step::new(
                    2,
                    format!("{label} match[{k}]"),
                    Verdict::Skipped,
                    format!("not given to this proxy: {why}"),
                ));
                continue;
            }
            catch_all = matching::is_catch_all(Some(m));
            out.push((entry.clone(), Some(k)));
            if catch_all {
                break;
            }
        }
        if catch_all {
            break;
        }
    }
    out
}

fn first_match(
    index: &Index,
    entries: &[(RouteEntry, Option<usize>)],
    request: &Request,
    trace: &mut Vec<Step>,
    virtual_service: Option<String>,
) -> Decision {
    for (entry, k) in entries {
        let label = entry.label(index);
        let Some(k) = *k else {
            trace.push(Step::new(
                2,
                label,
                Verdict::Matched,
                "no match conditions".into(),
            ));
            return Decision::Route {
                entry: Box::new(entry.clone()),
                match_index: None,
            };
        };
        let m = &entry.route.matches[k];
        let subject = format!("{label} match[{k}]");
        match matching::request_match(m, request) {
            Ok(()) => {
                trace.push(Step::new(2, subject, Verdict::Matched, describe_match(m)));
                return Decision::Route {
                    entry: Box::new(entry.clone()),
                    match_index: Some(k),
                };
            }
            Err(why) => trace.push(Step::new(2, subject, Verdict::Failed, why)),
        }
    }
    let reason = "no HTTP route matches the request (Envoy answers 404)".to_string();
    no_route(reason, virtual_service, trace)
}

/// The VirtualServices apply but none of their routes takes the request:
/// Envoy has no route for it. The trace ends with the reason.
fn no_route(reason: String, virtual_service: Option<String>, trace: &mut Vec<Step>) -> Decision {
    trace.push(Step::new(
        1,
        "routes".into(),
        Verdict::Failed,
        reason.clone(),
    ));
    Decision::NoRoute {
        reason,
        virtual_service,
    }
}

fn describe_match(m: &HttpMatchRequest) -> String {
    let mut parts = Vec::new();
    if let Some(uri) = &m.uri {
        parts.push(format!("uri {}", matching::Pattern::of(uri)));
    }
    for name in m.headers.keys() {
        parts.push(format!("header {}", name.to_ascii_lowercase()));
    }
    if m.method.is_some() {
        parts.push("method".into());
    }
    if parts.is_empty() {
        "all conditions hold".into()
    } else {
        format!("all conditions hold ({})", parts.join(", "))
    }
}

/// The HTTP routes of a VirtualService with delegates merged in (Istio's
/// `MergeHTTPRoutes`), hosts resolved in the namespace that wrote them.
fn expand_delegates(index: &Index, vs_id: usize, trace: &mut Vec<Step>) -> Vec<RouteEntry> {
    let vs = index.vs(vs_id);
    let ns = vs.namespace();
    let mut out = Vec::new();
    for (i, http) in vs.spec.http.iter().enumerate() {
        let root = resolved_route(http, ns, &index.domain);
        let Some(delegate) = &http.delegate else {
            out.push(RouteEntry {
                vs: vs_id,
                http_index: i,
                delegate: None,
                delegate_index: None,
                route: root,
            });
            continue;
        };
        let name = delegate.name.clone().unwrap_or_default();
        let d_ns = delegate.namespace.clone().unwrap_or_else(|| ns.to_string());
        let subject = format!("VirtualService {} http[{i}]", vs.name());
        let Some(&d_id) = index.delegates.get(&(d_ns.clone(), name.clone())) else {
            trace.push(Step::new(
                2,
                subject,
                Verdict::Skipped,
                format!(
                    "delegate {d_ns}/{name} is not in the input (a VirtualService without hosts)"
                ),
            ));
            continue;
        };
        let d = index.vs(d_id);
        if !exported_to(&d.spec.export_to, &d_ns, ns) {
            trace.push(Step::new(
                2,
                subject,
                Verdict::Skipped,
                format!("delegate {d_ns}/{name} is not exported to namespace {ns:?}"),
            ));
            continue;
        }
        for (j, leaf) in d.spec.http.iter().enumerate() {
            let leaf = resolved_route(leaf, &d_ns, &index.domain);
            match merge_route(&root, leaf) {
                Some(route) => out.push(RouteEntry {
                    vs: vs_id,
                    http_index: i,
                    delegate: Some(d_id),
                    delegate_index: Some(j),
                    route,
                }),
                None => trace.push(Step::new(
                    2,
                    format!("{subject} -> delegate {d_ns}/{name} http[{j}]"),
                    Verdict::Skipped,
                    "its match conflicts with the root route's match; Istio drops it".into(),
                )),
            }
        }
    }
    out
}

/// Destination and mirror hosts and gateway names, resolved as Istio does
/// before merging.
fn resolved_route(route: &HttpRoute, ns: &str, domain: &str) -> HttpRoute {
    let mut route = route.clone();
    for m in &mut route.matches {
        for g in &mut m.gateways {
            *g = resolve_gateway(g, ns);
        }
    }
    let fix = |d: &mut Option<crate::model::istio::Destination>| {
        if let Some(d) = d
            && let Some(h) = &mut d.host
        {
            *h = hosts::resolve(h, ns, domain);
        }
    };
    for r in &mut route.route {
        fix(&mut r.destination);
    }
    fix(&mut route.mirror);
    for m in &mut route.mirrors {
        fix(&mut m.destination);
    }
    route
}

/// Istio's `mergeHTTPRoute`: the delegate's route under the root's; `None`
/// when their matches conflict.
fn merge_route(root: &HttpRoute, mut leaf: HttpRoute) -> Option<HttpRoute> {
    leaf.matches = merge_matches(&root.matches, &leaf.matches)?;
    leaf.name = match (&root.name, leaf.name.take()) {
        (Some(r), Some(l)) if !r.is_empty() && !l.is_empty() => Some(format!("{r}-{l}")),
        (r, Some(l)) if !l.is_empty() => Some(l).or(r.clone()),
        (r, _) => r.clone(),
    };
    macro_rules! inherit {
        ($($field:ident),*) => { $( if leaf.$field.is_none() { leaf.$field = root.$field.clone(); } )* };
    }
    inherit!(
        rewrite,
        direct_response,
        timeout,
        retries,
        fault,
        mirror,
        mirror_percent,
        mirror_percentage,
        cors_policy,
        headers
    );
    if leaf.mirrors.is_empty() {
        leaf.mirrors = root.mirrors.clone();
    }
    Some(leaf)
}

fn merge_matches(
    root: &[HttpMatchRequest],
    leaf: &[HttpMatchRequest],
) -> Option<Vec<HttpMatchRequest>> {
    if root.is_empty() {
        return Some(leaf.to_vec());
    }
    if leaf.is_empty() {
        return Some(root.to_vec());
    }
    let mut out = Vec::new();
    for sub in leaf {
        let mut found = false;
        for r in root {
            if has_conflict(r, sub) {
                continue;
            }
            out.push(merge_match(r, sub));
            found = true;
        }
        if !found {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn merge_match(root: &HttpMatchRequest, leaf: &HttpMatchRequest) -> HttpMatchRequest {
    let mut out = leaf.clone();
    out.name = match (&root.name, &leaf.name) {
        (Some(r), Some(l)) if !r.is_empty() && !l.is_empty() => Some(format!("{r}-{l}")),
        (r, None) => r.clone(),
        (_, l) => l.clone(),
    };
    macro_rules! inherit {
        ($($field:ident),*) => { $( if out.$field.is_none() { out.$field = root.$field.clone(); } )* };
    }
    inherit!(
        uri,
        scheme,
        method,
        authority,
        source_namespace,
        stat_prefix
    );
    if out.port.unwrap_or(0) == 0 {
        out.port = root.port;
    }
    fn merged<V: Clone>(
        root: &BTreeMap<String, V>,
        leaf: &BTreeMap<String, V>,
    ) -> BTreeMap<String, V> {
        let mut m = root.clone();
        m.extend(leaf.iter().map(|(k, v)| (k.clone(), v.clone())));
        m
    }
    out.headers = merged(&root.headers, &leaf.headers);
    out.without_headers = merged(&root.without_headers, &leaf.without_headers);
    out.query_params = merged(&root.query_params, &leaf.query_params);
    out.source_labels = merged(&root.source_labels, &leaf.source_labels);
    if out.gateways.is_empty() {
        out.gateways = root.gateways.clone();
    }
    out
}

fn has_conflict(root: &HttpMatchRequest, leaf: &HttpMatchRequest) -> bool {
    use crate::model::istio::StringMatch;
    fn conflict(root: Option<&StringMatch>, leaf: Option<&StringMatch>) -> bool {
        let (Some(root), Some(leaf)) = (root, leaf) else {
            return false;
        };
        fn set(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|s| !s.is_empty())
        }
        let (r_re, r_ex, r_pre) = (set(&root.regex), set(&root.exact), set(&root.prefix));
        let (l_re, l_ex, l_pre) = (set(&leaf.regex), set(&leaf.exact), set(&leaf.prefix));
        if r_re.is_some() && (l_re.is_some() || l_pre.is_some() || l_ex.is_some()) {
            return true;
        }
        if l_re.is_some() && (r_re.is_some() || r_pre.is_some() || r_ex.is_some()) {
            return true;
        }
        if let Some(exact) = r_ex {
            return l_pre.is_some() || l_ex != Some(exact);
        }
        if let Some(prefix) = r_pre {
            if let Some(l) = l_pre {
                return !l.starts_with(prefix);
            }
            if let Some(l) = l_ex {
                return !l.starts_with(prefix);
            }
        }
        true
    }
    let pairs = [
        (&root.uri, &leaf.uri),
        (&root.scheme, &leaf.scheme),
        (&root.method, &leaf.method),
        (&root.authority, &leaf.authority),
    ];
    if pairs.iter().any(|(r, l)| conflict(r.as_ref(), l.as_ref())) {
        return true;
    }
    let maps = [
        (&root.headers, &leaf.headers),
        (&root.without_headers, &leaf.without_headers),
        (&root.query_params, &leaf.query_params),
    ];
    if maps
        .iter()
        .any(|(r, l)| l.iter().any(|(k, v)| conflict(r.get(k), Some(v))))
    {
        return true;
    }
    if root.ignore_uri_case.unwrap_or(false) != leaf.ignore_uri_case.unwrap_or(false) {
        return true;
    }
    let (rp, lp) = (root.port.unwrap_or(0), leaf.port.unwrap_or(0));
    if rp > 0 && lp > 0 && rp != lp {
        return true;
    }
    if let Some(ns) = root.source_namespace.as_deref().filter(|s| !s.is_empty())
        && leaf.source_namespace.as_deref() != Some(ns)
    {
        return true;
    }
    if leaf
        .source_labels
        .iter()
        .any(|(k, v)| root.source_labels.get(k).is_some_and(|r| r != v))
    {
        return true;
    }
    if !root.gateways.is_empty() && !leaf.gateways.is_empty() {
        return root.gateways.len() < leaf.gateways.len()
            || leaf.gateways.iter().any(|g| !root.gateways.contains(g));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::istio::StringMatch;

    fn prefix(p: &str) -> Option<StringMatch> {
        Some(StringMatch {
            prefix: Some(p.into()),
            ..Default::default()
        })
    }

    #[test]
    fn gateway_names_resolve_like_istio() {
        assert_eq!(resolve_gateway("gw", "shop"), "shop/gw");
        assert_eq!(resolve_gateway("./gw", "shop"), "shop/gw");
        assert_eq!(resolve_gateway("ingress/gw", "shop"), "ingress/gw");
        assert_eq!(
            resolve_gateway("gw.ingress.svc.cluster.local", "shop"),
            "ingress/gw"
        );
        assert_eq!(resolve_gateway("mesh", "shop"), "mesh");
    }

    #[test]
    fn export_to_is_public_by_default() {
        assert!(exported_to(&[], "a", "b"));
        assert!(exported_to(&[".".into()], "a", "a"));
        assert!(!exported_to(&[".".into()], "a", "b"));
        assert!(exported_to(&["b".into()], "a", "b"));
    }

    #[test]
    fn delegate_matches_narrow_the_roots_and_conflicts_drop_the_route() {
        let root = HttpRoute {
            name: Some("root".into()),
            matches: vec![HttpMatchRequest {
                uri: prefix("/api"),
                ..Default::default()
            }],
            timeout: Some("5s".into()),
            ..Default::default()
        };
        let leaf = HttpRoute {
            name: Some("v1".into()),
            matches: vec![HttpMatchRequest {
                uri: prefix("/api/v1"),
                ..Default::default()
            }],
            ..Default::default()
        };
        let merged = merge_route(&root, leaf).unwrap();
        assert_eq!(merged.name.as_deref(), Some("root-v1"));
        assert_eq!(merged.timeout.as_deref(), Some("5s"));
        assert_eq!(merged.matches[0].uri, prefix("/api/v1"));
        let outside = HttpRoute {
            matches: vec![HttpMatchRequest {
                uri: prefix("/web"),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(merge_route(&root, outside).is_none());
    }
}
