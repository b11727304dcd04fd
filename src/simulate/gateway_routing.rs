//! A request through a Gateway: the server on the request's port that
//! admits its host, which kind of routes that server takes, the
//! VirtualServices bound to the gateway for the host (merged as Istio
//! merges them), then their routes.

use super::context::{Context, GatewayRef};
use super::http_routes::{RouteEntry, first_match, flatten};
use super::index::GatewayEntry;
use super::matching;
use super::names;
use super::request::Protocol;
use super::result::Verdict;
use super::routing::{Decision, L4Fallback, Routed, l4_decision};
use crate::mesh::gateway::{MESH, server_host, server_host_for};
use crate::mesh::host::overlaps;
use crate::model::istio::{Server, ServerTlsMode};

/// A server's `port.protocol`, as Istio's `protocol.Parse` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerProtocol {
    /// HTTP, HTTP2, gRPC, gRPC-Web, HTTP_PROXY.
    Http,
    Https,
    Tls,
    /// TCP and every other protocol (Mongo, Redis, MySQL, unknown ones).
    Tcp,
}

/// A server's `port.protocol` as written, upper-cased (HTTP when unset).
fn protocol_name(server: &Server) -> String {
    server
        .port
        .as_ref()
        .and_then(|p| p.protocol.as_deref())
        .unwrap_or("HTTP")
        .to_ascii_uppercase()
}

impl ServerProtocol {
    fn of(server: &Server) -> Self {
        match protocol_name(server).as_str() {
            "HTTP" | "HTTP2" | "GRPC" | "GRPC-WEB" | "HTTP_PROXY" => ServerProtocol::Http,
            "HTTPS" => ServerProtocol::Https,
            "TLS" => ServerProtocol::Tls,
            _ => ServerProtocol::Tcp,
        }
    }

    /// Which routes of a VirtualService the server uses: Istio's
    /// `IsHTTPServer` (HTTP, or HTTPS that terminates TLS) takes `http`
    /// routes; a passthrough server (HTTPS or TLS) `tls` routes; any other
    /// (TLS terminated at the gateway included) `tcp` routes.
    fn routes(self, passthrough: bool) -> Protocol {
        match self {
            ServerProtocol::Http => Protocol::Http,
            ServerProtocol::Https | ServerProtocol::Tls if passthrough => Protocol::Tls,
            ServerProtocol::Https => Protocol::Http,
            ServerProtocol::Tls | ServerProtocol::Tcp => Protocol::Tcp,
        }
    }
}

/// A server on the request's port whose hosts admit the request host:
/// its place among the gateway's servers and those host entries as
/// written (`ns/host`).
type Admitting<'s> = (usize, &'s Server, Vec<&'s str>);

pub fn route(ctx: &mut Context, gateway: GatewayRef) -> Routed {
    let host = ctx.request.host.clone();
    let decision = decide(ctx, gateway);
    Routed { decision, host }
}

fn decide(ctx: &mut Context, gw: GatewayRef) -> Decision {
    let (request, gateway) = (ctx.request, gw.label());
    for (subject, why) in &gw.left_out {
        ctx.step(0, subject.clone(), Verdict::Skipped, why.clone());
    }
    let admitting = match admitting_servers(gw, request.port, &request.host) {
        Ok(admitting) => admitting,
        Err(reason) => return refuse(ctx, 0, &gateway, reason),
    };
    let server = admitting[0].1;
    let protocol = ServerProtocol::of(server);
    let protocol_name = protocol_name(server);
    let listeners: Vec<String> = admitting
        .iter()
        .filter_map(|(i, _, _)| gw.listener_name(*i))
        .collect();
    let which = match listeners.as_slice() {
        [] => "server".to_string(),
        [one] => format!("listener {one}"),
        several => format!("listeners {}", several.join(", ")),
    };
    ctx.step(
        0,
        gateway.clone(),
        Verdict::Selected,
        format!(
            "{which} on port {} ({protocol_name}) admits host {:?}",
            request.port, request.host
        ),
    );
    let tls = server.tls.as_ref();
    let passthrough = matches!(
        tls.and_then(|t| t.mode),
        Some(ServerTlsMode::Passthrough | ServerTlsMode::AutoPassthrough)
    );
    let routes_kind = protocol.routes(passthrough);
    let fits = match request.protocol {
        Protocol::Http => routes_kind == Protocol::Http,
        Protocol::Tcp => routes_kind == Protocol::Tcp && protocol != ServerProtocol::Tls,
        Protocol::Tls => routes_kind != Protocol::Http,
    };
    if !fits {
        let reason = match request.protocol {
            Protocol::Http => {
                format!("the server's protocol is {protocol_name}: no HTTP routing on this port")
            }
            other => format!(
                "the server's protocol is {protocol_name}: it does not take a {} connection",
                other.as_str()
            ),
        };
        return refuse(ctx, 1, &gateway, reason);
    }
    if request.scheme == "http" && tls.and_then(|t| t.https_redirect).unwrap_or(false) {
        let location = format!("https://{}{}", request.host, request.path_and_query());
        ctx.step(
            1,
            gateway.clone(),
            Verdict::Matched,
            "the server sets tls.httpsRedirect: plain HTTP is redirected (301)",
        );
        return Decision::HttpsRedirect { location };
    }
    let bound = bound_virtual_services(ctx, gw, &admitting);
    let Some(merged) = most_specific(ctx, bound) else {
        let routes = if gw.listeners.is_some() {
            "route attached to"
        } else {
            "VirtualService bound to"
        };
        let reason = format!("no {routes} {gateway} serves host {:?}", request.host);
        return refuse(ctx, 1, &gateway, reason);
    };
    if request.protocol != Protocol::Http {
        return l4_decision(ctx, &merged, routes_kind, &request.host, L4Fallback::Close);
    }
    let entries = merged_routes(ctx, &merged);
    let only = (merged.len() == 1)
        .then(|| ctx.index.vs(merged[0]).virtual_service())
        .flatten();
    first_match(ctx, &entries, only)
}

/// The gateway does not take the request, for `reason`.
fn refuse(ctx: &mut Context, depth: u8, gateway: &str, reason: String) -> Decision {
    ctx.step(depth, gateway, Verdict::Failed, reason.clone());
    Decision::NoRoute {
        reason,
        virtual_service: None,
    }
}

/// The servers on `port` whose hosts admit `host`, or why there is none.
fn admitting_servers<'s>(
    gw: &'s GatewayEntry,
    port: u32,
    host: &str,
) -> Result<Vec<Admitting<'s>>, String> {
    let name = gw.label();
    let on_port: Vec<(usize, &Server)> = gw
        .spec
        .servers
        .iter()
        .enumerate()
        .filter(|(_, s)| s.port.as_ref().and_then(|p| p.number) == Some(port))
        .collect();
    if on_port.is_empty() {
        return Err(format!("{name} has no server on port {port}"));
    }
    let admitting: Vec<Admitting> = on_port
        .into_iter()
        .filter_map(|(i, server)| {
            let hosts: Vec<&str> = server
                .hosts
                .iter()
                .map(String::as_str)
                .filter(|entry| overlaps(&server_host(entry).to_ascii_lowercase(), host))
                .collect();
            (!hosts.is_empty()).then_some((i, server, hosts))
        })
        .collect();
    if admitting.is_empty() {
        return Err(format!(
            "no server of {name} on port {port} admits host {host:?}"
        ));
    }
    Ok(admitting)
}

/// VirtualServices bound to this gateway, exported to its namespace,
/// whose namespace the server's hosts allow, with a host that both the
/// server and the request match. Each gives an Envoy virtual host domain
/// (the narrower of its host and the server's).
fn bound_virtual_services(
    ctx: &mut Context,
    gw: GatewayRef,
    admitting: &[Admitting],
) -> Vec<(usize, String)> {
    let (index, host) = (ctx.index, ctx.request.host.as_str());
    let gateway_namespace = gw.object.namespace.as_deref().unwrap_or_default();
    let gateway = ctx.proxy.gateway.clone();
    note_refused_routes(ctx, gw, admitting);
    let mut bound = Vec::new();
    for id in index.vs_candidates(host) {
        let vs = index.vs(id);
        if vs.hosts.is_empty() {
            continue;
        }
        let subject = vs.label();
        // The servers whose gateway the VirtualService is bound to.
        let servers: Vec<&Admitting> = admitting
            .iter()
            .filter(|(i, _, _)| vs.bound_to(&gw.binding(*i)))
            .collect();
        // A mesh (GAMMA) route is none of a gateway's business.
        if vs.is_gateway_api() && vs.bound_to(MESH) {
            continue;
        }
        if servers.is_empty() && vs.is_gateway_api() {
            ctx.step(
                1,
                subject,
                Verdict::Skipped,
                format!(
                    "its listener is not one on port {} that admits the host",
                    ctx.request.port
                ),
            );
            continue;
        }
        if servers.is_empty() {
            let to = if vs.gateways.is_empty() {
                "mesh only (no gateways)".to_string()
            } else {
                format!("[{}]", vs.gateways.join(", "))
            };
            ctx.step(
                1,
                subject,
                Verdict::Skipped,
                format!("bound to {to}, not {gateway}"),
            );
            continue;
        }
        if !vs.is_visible_to(&ctx.proxy.namespace) {
            let detail = format!(
                "not exported to the gateway's namespace {:?}",
                ctx.proxy.namespace
            );
            ctx.step(1, subject, Verdict::Skipped, detail);
            continue;
        }
        let mut domain: Option<String> = None;
        let server_hosts = servers.iter().flat_map(|(_, _, hosts)| hosts);
        let admitted = server_hosts
            .filter_map(|entry| server_host_for(entry, gateway_namespace, vs.namespace()))
            .map(str::to_ascii_lowercase);
        for dns in admitted {
            for vh in vs
                .hosts
                .iter()
                .filter(|h| overlaps(h, host) && overlaps(h, &dns))
            {
                let d = names::narrower(vh, &dns).to_string();
                if domain
                    .as_ref()
                    .is_none_or(|cur| names::specificity(&d) > names::specificity(cur))
                {
                    domain = Some(d);
                }
            }
        }
        match domain {
            Some(d) => bound.push((id, d)),
            None => ctx.step(
                1,
                subject,
                Verdict::Skipped,
                "the gateway's server hosts do not admit this VirtualService's namespace and hosts",
            ),
        }
    }
    bound
}

/// Gateway API routes the admitting listeners do not take, and why.
fn note_refused_routes(ctx: &mut Context, gw: GatewayRef, admitting: &[Admitting]) {
    if gw.listeners.is_none() {
        return;
    }
    for (i, _, _) in admitting {
        for refused in ctx.index.refused_routes(&gw.binding(*i)) {
            ctx.step(
                1,
                refused.route.clone(),
                Verdict::Skipped,
                refused.reason.clone(),
            );
        }
    }
}

/// The VirtualServices of the most specific domain, in creation order
/// (Istio merges them into one virtual host); `None` when there is none.
fn most_specific(ctx: &mut Context, bound: Vec<(usize, String)>) -> Option<Vec<usize>> {
    let index = ctx.index;
    let top = bound.iter().map(|(_, d)| names::specificity(d)).max()?;
    let (mut merged, less): (Vec<_>, Vec<_>) = bound
        .into_iter()
        .partition(|(_, d)| names::specificity(d) == top);
    merged.sort_by(|a, b| {
        names::creation_order(index.vs(a.0).object)
            .cmp(&names::creation_order(index.vs(b.0).object))
    });
    for (id, d) in &less {
        ctx.step(
            1,
            index.vs(*id).label(),
            Verdict::Skipped,
            format!("its domain {d:?} is less specific than {:?}", merged[0].1),
        );
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
        ctx.step(1, index.vs(*id).label(), Verdict::Selected, detail);
    }
    Some(merged.into_iter().map(|(id, _)| id).collect())
}

/// The HTTP routes of the merged VirtualServices in order; Istio moves
/// catch-all routes behind the others when it merges several.
fn merged_routes(ctx: &mut Context, merged: &[usize]) -> Vec<(RouteEntry, Option<usize>)> {
    let mut entries = Vec::new();
    for &id in merged {
        entries.extend(flatten(ctx, id));
    }
    if merged.len() > 1 {
        let (specific, catch_all): (Vec<_>, Vec<_>) =
            entries
                .into_iter()
                .partition(|(e, m): &(RouteEntry, Option<usize>)| {
                    !matching::is_catch_all(m.and_then(|k| e.route.matches.get(k)))
                });
        entries = specific.into_iter().chain(catch_all).collect();
    }
    entries
}
