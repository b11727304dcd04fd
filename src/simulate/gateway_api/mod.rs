//! Gateway API routes as Istio programs them: pilot converts every
//! HTTPRoute and GRPCRoute into VirtualService routes
//! (`pilot/pkg/config/kube/gateway/conversion.go`,
//! `route_collections.go`), and the proxies only ever see those. Simulate
//! does the same, so everything downstream (matching, route actions,
//! destinations, draws) is shared with VirtualServices.
//!
//! Mesh (GAMMA) routes, whose `parentRefs` name a Service, become one
//! VirtualService per route namespace, parent port and Service host, bound
//! to `mesh`. Routes of one key are merged: oldest route first (creation
//! time, then namespace, then name), then their rules sorted stably by the
//! Gateway API's precedence ([`sort_by_precedence`]). Each rule is split
//! into one route per match, as Istio splits it. A route Istio cannot
//! convert (a backend without a port, an unsupported filter) contributes
//! nothing, as in Istio, and is kept with its reason for the trace.

mod attach;
mod backends;
pub mod listeners;
mod rules;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::mesh;
use crate::mesh::gateway::MESH;
use crate::model::Object;
use crate::model::gateway_api::ParentRef;
use crate::model::istio::{
    HttpMatchRequest, HttpRoute, L4MatchAttributes, StringMatch, TcpRoute, TlsRoute,
    VirtualServiceSpec,
};
use crate::snapshot::Snapshot;

use super::names::qualified;
use listeners::{IngressGateway, ListenerParent};

/// Where a route Istio built from a Gateway API route came from: the
/// route, its rule, and the match of that rule (Istio gives each match
/// its own route).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleOrigin {
    /// `HTTPRoute` or `GRPCRoute`.
    pub kind: &'static str,
    /// `namespace/name`.
    pub name: String,
    pub rule_index: usize,
    pub rule_name: Option<String>,
    /// `None` for a rule without matches (it matches every request).
    pub match_index: Option<usize>,
    /// The listener of the Gateway API Gateway the route is attached to
    /// (`None` for a mesh route).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener: Option<String>,
    /// The ListenerSet (`ns/name`) that listener comes from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener_set: Option<String>,
    /// Why Envoy will have no cluster for a destination (same order as
    /// the route's destinations): the request then gets a 500.
    #[serde(skip)]
    pub backend_problems: Vec<Option<String>>,
}

impl RuleOrigin {
    /// `HTTPRoute ns/name rules[1].matches[0]`, as the trace names it.
    pub fn label(&self) -> String {
        let mut label = format!("{} {} rules[{}]", self.kind, self.name, self.rule_index);
        if let Some(m) = self.match_index {
            label.push_str(&format!(".matches[{m}]"));
        }
        if let Some(name) = &self.rule_name {
            label.push_str(&format!(" ({name})"));
        }
        if let Some(listener) = self.listener_label() {
            label.push_str(&format!(" on listener {listener}"));
        }
        label
    }

    /// `http`, or `extra of ListenerSet infra/extra`.
    pub fn listener_label(&self) -> Option<String> {
        let listener = self.listener.as_deref()?;
        Some(match &self.listener_set {
            None => listener.to_string(),
            Some(set) => format!("{listener} of ListenerSet {set}"),
        })
    }
}

/// The origin of each route of a VirtualService Istio builds from
/// Gateway API routes, per kind of route (same order as the spec's lists).
#[derive(Debug, Clone, Default)]
pub struct Origins {
    pub http: Vec<RuleOrigin>,
    pub tcp: Vec<RuleOrigin>,
    pub tls: Vec<RuleOrigin>,
}

impl Origins {
    pub fn all(&self) -> impl Iterator<Item = &RuleOrigin> {
        self.http.iter().chain(&self.tcp).chain(&self.tls)
    }
}

/// A VirtualService Istio builds from Gateway API routes, with the origin
/// of each of its routes.
pub struct Converted<'a> {
    /// The oldest route merged in: its creation time orders the
    /// VirtualService among others.
    pub object: &'a Object,
    pub spec: VirtualServiceSpec,
    pub origins: Origins,
}

/// A Gateway API route Istio does not use for a parent, and why: it does
/// not convert it, or the listener does not admit it.
pub struct Refused {
    /// The Service host (mesh), or the listener's internal gateway name.
    pub parent: String,
    pub route: String,
    pub reason: String,
}

/// One route, converted once for its mesh parents and once for its
/// Gateway parents (only gateways enforce ReferenceGrants).
struct RouteRules<'a> {
    object: &'a Object,
    kind: &'static str,
    parent_refs: &'a [ParentRef],
    hostnames: &'a [String],
    mesh: Result<rules::Rules, String>,
    gateway: Result<rules::Rules, String>,
}

/// The VirtualServices Istio builds from every HTTPRoute and GRPCRoute:
/// for Service parents (mesh) and for the listeners of the Gateways
/// given; and the routes refused.
pub fn virtual_services<'a>(
    snapshot: &'a Snapshot,
    gateways: &[IngressGateway<'a>],
) -> (Vec<Converted<'a>>, Vec<Refused>) {
    let grants = snapshot.reference_grant_index();
    let mut all = Vec::new();
    for (object, spec) in snapshot.http_routes() {
        all.push(RouteRules {
            object,
            kind: "HTTPRoute",
            parent_refs: &spec.parent_refs,
            hostnames: &spec.hostnames,
            mesh: rules::http_route(object, spec, snapshot, None),
            gateway: rules::http_route(object, spec, snapshot, Some(&grants)),
        });
    }
    for (object, spec) in snapshot.grpc_routes() {
        all.push(RouteRules {
            object,
            kind: "GRPCRoute",
            parent_refs: &spec.parent_refs,
            hostnames: &spec.hostnames,
            mesh: rules::grpc_route(object, spec, snapshot, None),
            gateway: rules::grpc_route(object, spec, snapshot, Some(&grants)),
        });
    }
    for (object, spec) in snapshot.tcp_routes() {
        all.push(RouteRules {
            object,
            kind: "TCPRoute",
            parent_refs: &spec.parent_refs,
            hostnames: &[],
            mesh: rules::tcp_route(object, spec, snapshot, None),
            gateway: rules::tcp_route(object, spec, snapshot, Some(&grants)),
        });
    }
    for (object, spec) in snapshot.tls_routes() {
        all.push(RouteRules {
            object,
            kind: "TLSRoute",
            parent_refs: &spec.parent_refs,
            hostnames: &spec.hostnames,
            mesh: rules::tls_route(object, spec, snapshot, None),
            gateway: rules::tls_route(object, spec, snapshot, Some(&grants)),
        });
    }
    all.sort_by(|a, b| istio_order(a.object).cmp(&istio_order(b.object)));
    let mut merged = Merged::default();
    let parents = attach::Parents::new(gateways);
    for route in &all {
        let ns = route.object.namespace.as_deref().unwrap_or_default();
        for (host, port) in service_parents(route.parent_refs, ns, snapshot) {
            let key = (ns.to_string(), port, host.clone());
            merged.add(route, &route.mesh, key, host, Parent::Mesh { port });
        }
        let attached = attach::attached_listeners(
            &attach::Route {
                object: route.object,
                kind: route.kind,
                parent_refs: route.parent_refs,
                hostnames: route.hostnames,
            },
            &parents,
            &mut merged.refused,
        );
        for (listener, hosts) in attached {
            for host in hosts {
                let key = (listener.internal.clone(), None, host.clone());
                merged.add(route, &route.gateway, key, host, Parent::Listener(listener));
            }
        }
    }
    let converted = merged
        .by_key
        .into_values()
        .map(|mut c| {
            sort_by_precedence(&mut c.spec.http, &mut c.origins.http);
            c
        })
        .collect();
    (converted, merged.refused)
}

/// What a route's rules are converted for: its Service parents (mesh,
/// with the parentRef's port), or a listener it attaches to.
enum Parent<'l> {
    Mesh { port: Option<i32> },
    Listener(&'l ListenerParent),
}

/// The VirtualServices being built, one per key (route namespace or
/// listener, parent port, host), and the routes refused.
#[derive(Default)]
struct Merged<'a> {
    by_key: BTreeMap<(String, Option<i32>, String), Converted<'a>>,
    refused: Vec<Refused>,
}

impl<'a> Merged<'a> {
    /// Appends a route's rules to the VirtualService of `key` (created
    /// for `host`, bound to the parent), or records why Istio refused it.
    fn add(
        &mut self,
        route: &RouteRules<'a>,
        rules: &Result<rules::Rules, String>,
        key: (String, Option<i32>, String),
        host: String,
        parent: Parent,
    ) {
        let (gateway, port, listener) = match parent {
            Parent::Mesh { port } => (MESH.to_string(), port, None),
            Parent::Listener(l) => (l.internal.clone(), None, Some(l)),
        };
        let rules = match rules {
            Ok(rules) => rules,
            Err(reason) => {
                let parent = if gateway == MESH { host } else { gateway };
                self.refused.push(Refused {
                    parent,
                    route: format!("{} {}", route.kind, qualified(route.object)),
                    reason: format!("Istio does not convert it: {reason}"),
                });
                return;
            }
        };
        let entry = self.by_key.entry(key).or_insert_with(|| Converted {
            object: route.object,
            spec: VirtualServiceSpec {
                hosts: vec![host],
                gateways: vec![gateway],
                ..Default::default()
            },
            origins: Origins::default(),
        });
        let placed = |origin: &RuleOrigin| RuleOrigin {
            listener: listener.map(|l| l.name.clone()),
            listener_set: listener.and_then(|l| l.listener_set.clone()),
            ..origin.clone()
        };
        match rules {
            rules::Rules::Http(rules) => {
                for (http, origin) in rules {
                    entry.spec.http.push(with_port(http.clone(), port));
                    entry.origins.http.push(placed(origin));
                }
            }
            rules::Rules::Tcp(rules) => {
                for (tcp, origin) in rules {
                    entry.spec.tcp.push(with_tcp_port(tcp.clone(), port));
                    entry.origins.tcp.push(placed(origin));
                }
            }
            rules::Rules::Tls(rules) => {
                let mesh_host =
                    (entry.spec.gateways[0] == MESH).then(|| entry.spec.hosts[0].clone());
                let listener_host = listener.map_or("", |l| l.hostname.as_str());
                for (tls, origin) in rules {
                    let tls = with_tls_parent(tls.clone(), port, mesh_host.as_deref());
                    if let Some(tls) = within_listener_host(tls, listener_host) {
                        entry.spec.tls.push(tls);
                        entry.origins.tls.push(placed(origin));
                    }
                }
            }
        }
    }
}

/// Istio's `sortRoutesByCreationTime`: creation time, then namespace,
/// then name.
fn istio_order(object: &Object) -> impl Ord + '_ {
    (
        object.metadata().creation_timestamp.clone(),
        object.namespace.as_deref().unwrap_or_default(),
        object.name.as_str(),
    )
}

/// The hosts of the Services a route's `parentRefs` name (group `""`,
/// kind `Service`), with the parent's port. A Service not in the input is
/// not a parent (Istio does not accept the reference).
fn service_parents(
    parent_refs: &[ParentRef],
    namespace: &str,
    snapshot: &Snapshot,
) -> Vec<(String, Option<i32>)> {
    let domain = snapshot.cluster_domain();
    parent_refs
        .iter()
        .filter(|p| p.is_service())
        .filter_map(|p| {
            let name = p.name.as_deref()?;
            let ns = p.namespace.as_deref().unwrap_or(namespace);
            let host = mesh::host::service_host(name, ns, domain);
            snapshot.service_by_host(&host).map(|_| (host, p.port))
        })
        .collect()
}

/// Istio's `augmentPortMatch`: a parent with a port makes every route
/// match that port only.
fn with_port(mut route: HttpRoute, port: Option<i32>) -> HttpRoute {
    let Some(port) = port.and_then(|p| u32::try_from(p).ok()) else {
        return route;
    };
    if route.matches.is_empty() {
        route.matches.push(HttpMatchRequest::default());
    }
    for m in &mut route.matches {
        m.port = Some(port);
    }
    route
}

/// Istio's `augmentTCPPortMatch`: the parent's port, on every match.
fn with_tcp_port(mut route: TcpRoute, port: Option<i32>) -> TcpRoute {
    let Some(port) = port.and_then(|p| u32::try_from(p).ok()) else {
        return route;
    };
    if route.matches.is_empty() {
        route.matches.push(L4MatchAttributes::default());
    }
    for m in &mut route.matches {
        m.port = Some(port);
    }
    route
}

/// Istio's `augmentTLSPortMatch`: a mesh route without hostnames matches
/// its Service's host as SNI; the parent's port on every match.
fn with_tls_parent(mut route: TlsRoute, port: Option<i32>, mesh_host: Option<&str>) -> TlsRoute {
    if let ([only], Some(host)) = (route.matches.as_mut_slice(), mesh_host)
        && only.sni_hosts == ["*"]
    {
        only.sni_hosts = vec![host.to_string()];
    }
    if let Some(port) = port.and_then(|p| u32::try_from(p).ok()) {
        for m in &mut route.matches {
            m.port = Some(port);
        }
    }
    route
}

/// Istio's `constrainTLSRoutesToListenerHost`: under a listener with a
/// hostname, each match takes only the SNI hosts within it; a route left
/// with no host in any match is dropped.
fn within_listener_host(mut route: TlsRoute, listener_host: &str) -> Option<TlsRoute> {
    if listener_host.is_empty() {
        return Some(route);
    }
    let listener = [listener_host.to_string()];
    for m in &mut route.matches {
        m.sni_hosts = mesh::host::intersection(&m.sni_hosts, &listener);
    }
    let kept = route.matches.is_empty() || route.matches.iter().any(|m| !m.sni_hosts.is_empty());
    kept.then_some(route)
}

/// Istio's `sortHTTPRoutes`, the Gateway API's precedence among rules of
/// one host: path match type (Exact, then PathPrefix, then
/// RegularExpression), longer path, a method match, more header matches,
/// more query matches; a route without matches last. The sort is stable,
/// so ties keep the oldest route's rules first, in their order.
fn sort_by_precedence(http: &mut Vec<HttpRoute>, origins: &mut Vec<RuleOrigin>) {
    let mut pairs: Vec<(HttpRoute, RuleOrigin)> = std::mem::take(http)
        .into_iter()
        .zip(std::mem::take(origins))
        .collect();
    pairs.sort_by_key(|(route, _)| std::cmp::Reverse(precedence(route)));
    (*http, *origins) = pairs.into_iter().unzip();
}

/// Higher is matched first.
fn precedence(route: &HttpRoute) -> (bool, i8, usize, bool, usize, usize) {
    let Some(m) = route.matches.first() else {
        return (false, 0, 0, false, 0, 0);
    };
    let (rank, len) = match &m.uri {
        None => (-1, 0),
        Some(StringMatch { exact: Some(p), .. }) => (3, p.len()),
        Some(StringMatch {
            prefix: Some(p), ..
        }) => (2, p.len()),
        Some(StringMatch { regex: Some(p), .. }) => (1, p.len()),
        Some(_) => (-1, 0),
    };
    (
        true,
        rank,
        len,
        m.method.is_some(),
        m.headers.len(),
        m.query_params.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(name: &str, uri: Option<StringMatch>, headers: usize, method: bool) -> HttpRoute {
        let m = HttpMatchRequest {
            uri,
            method: method.then(|| StringMatch {
                exact: Some("GET".into()),
                ..Default::default()
            }),
            headers: (0..headers)
                .map(|i| (format!("h{i}"), StringMatch::default()))
                .collect(),
            ..Default::default()
        };
        HttpRoute {
            name: Some(name.into()),
            matches: vec![m],
            ..Default::default()
        }
    }

    fn uri(kind: &str, v: &str) -> Option<StringMatch> {
        Some(match kind {
            "exact" => rules::exact(v),
            "prefix" => rules::prefix(v),
            _ => rules::regex(v),
        })
    }

    #[test]
    fn rules_sort_by_the_gateway_apis_precedence_and_stay_stable_on_ties() {
        let routes = vec![
            HttpRoute {
                name: Some("no-match".into()),
                ..Default::default()
            },
            route("regex-long", uri("regex", "/aaaaaaaaaa.*"), 0, false),
            route("prefix-short", uri("prefix", "/a"), 3, true),
            route("prefix-long", uri("prefix", "/abc"), 0, false),
            route("prefix-long-method", uri("prefix", "/abc"), 0, true),
            route("prefix-long-headers", uri("prefix", "/abc"), 2, false),
            route("exact", uri("exact", "/"), 0, false),
            route("prefix-long-tie", uri("prefix", "/abc"), 0, false),
        ];
        let mut routes = routes;
        let mut origins: Vec<RuleOrigin> = (0..routes.len())
            .map(|i| RuleOrigin {
                kind: "HTTPRoute",
                name: "ns/r".into(),
                rule_index: i,
                rule_name: None,
                match_index: None,
                listener: None,
                listener_set: None,
                backend_problems: Vec::new(),
            })
            .collect();
        sort_by_precedence(&mut routes, &mut origins);
        let names: Vec<&str> = routes.iter().map(|r| r.name.as_deref().unwrap()).collect();
        assert_eq!(
            names,
            [
                "exact",
                "prefix-long-method",
                "prefix-long-headers",
                "prefix-long",
                "prefix-long-tie",
                "prefix-short",
                "regex-long",
                "no-match"
            ]
        );
        assert_eq!(origins[0].rule_index, 6, "origins follow their routes");
    }
}
