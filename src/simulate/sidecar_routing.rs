//! A request through the caller's sidecar: the request host as the
//! sidecar resolves it, the VirtualService the sidecar keeps for it (bound
//! to `mesh`, exported to the caller, imported by its Sidecar resource),
//! then that VirtualService's routes.

use super::context::Context;
use super::http_routes::{first_match, flatten};
use super::names::{self, creation_order};
use super::request::Protocol;
use super::result::Verdict;
use super::routing::{Decision, L4Fallback, Routed, l4_decision};
use super::sidecar_scope::SidecarScope;
use crate::mesh::gateway::MESH;
use crate::mesh::host::overlaps;
use crate::snapshot::DeclaredBy;

/// A VirtualService a sidecar may use for the host: its best host's
/// specificity and its place in Istio's order (private to the namespace,
/// exported to it by name, public; in each, those built from Gateway API
/// routes of the caller's namespace first).
struct Usable {
    id: usize,
    specificity: (u8, usize),
    class: u8,
    consumer_route: bool,
}

pub fn route(ctx: &mut Context) -> Routed {
    let request = ctx.request;
    let namespace = ctx.proxy.namespace.clone();
    let index = ctx.index;
    let host = names::expand_request_host(&request.host, &namespace, &index.domain, |h| {
        index.knows_host(h)
    });
    ctx.step(
        0,
        format!("host {host}"),
        Verdict::Info,
        format!(
            "request host {:?} from a sidecar in namespace {namespace:?}, port {}",
            request.host, request.port
        ),
    );
    let scope = SidecarScope::for_proxy(index, &ctx.proxy);
    if let Some(scope) = &scope {
        ctx.step(
            1,
            format!("Sidecar {}", scope.name),
            Verdict::Selected,
            format!(
                "applies to the caller; egress hosts [{}]",
                scope.hosts(request.port)
            ),
        );
    }
    let host = follow_alias(ctx, host, scope.as_ref());
    if let Some(decision) = undeclared_port(ctx, &host, scope.as_ref()) {
        return Routed { decision, host };
    }
    note_refused_routes(ctx, &host);
    let usable = usable_virtual_services(ctx, &host, scope.as_ref());
    let Some(chosen) = choose(ctx, &usable) else {
        if let Some(decision) = not_imported(ctx, &host, scope.as_ref()) {
            return Routed { decision, host };
        }
        ctx.step(
            1,
            format!("host {host}"),
            Verdict::Info,
            "no VirtualService for this host: the default route",
        );
        let reason = format!("no VirtualService for {host}: the host's default route");
        return Routed {
            decision: Decision::Default {
                host: host.clone(),
                reason,
            },
            host,
        };
    };
    let vs = index.vs(chosen);
    ctx.step(
        1,
        vs.label(),
        Verdict::Selected,
        format!("host {:?} matches", matching_host(&vs.hosts, &host)),
    );
    let decision = if request.protocol == Protocol::Http {
        let entries = flatten(ctx, chosen);
        first_match(ctx, &entries, vs.virtual_service())
    } else {
        l4_decision(
            ctx,
            &[chosen],
            request.protocol,
            &host,
            L4Fallback::DefaultRoute,
        )
    };
    Routed { decision, host }
}

/// An ExternalName Service's host is routed as the host it aliases (its
/// names are domains of that Service's virtual host), except that an HTTP
/// request sent to its full name keeps a VirtualService written for
/// exactly that name (whose virtual host has only that domain).
fn follow_alias(ctx: &mut Context, host: String, scope: Option<&SidecarScope>) -> String {
    let Some(target) = ctx.index.alias_of(&host) else {
        return host;
    };
    let dialled_exactly = ctx.request.protocol == Protocol::Http && ctx.request.host == host;
    if dialled_exactly
        && usable_virtual_services(&mut quiet(ctx), &host, scope)
            .iter()
            .any(|u| ctx.index.vs(u.id).hosts.contains(&host))
    {
        return host;
    }
    ctx.step(
        1,
        format!("host {host}"),
        Verdict::Info,
        format!("an ExternalName Service: Istio routes it as {target}"),
    );
    target.to_string()
}

/// A context whose trace is thrown away, for a look ahead.
fn quiet<'i, 'a>(ctx: &Context<'i, 'a>) -> Context<'i, 'a> {
    Context {
        index: ctx.index,
        request: ctx.request,
        gateway: ctx.gateway,
        proxy: ctx.proxy.clone(),
        trace: Vec::new(),
    }
}

/// A Service the caller's Sidecar does not import (nor any VirtualService
/// for it) has no route in its proxy: Envoy passes the request through as it was sent
/// (`PassthroughCluster`), or refuses it under `REGISTRY_ONLY`.
fn not_imported(ctx: &mut Context, host: &str, scope: Option<&SidecarScope>) -> Option<Decision> {
    let scope = scope?;
    let (object, _) = ctx.index.service(host)?;
    let namespace = object.namespace.as_deref().unwrap_or_default();
    if scope.imports_service(host, namespace) {
        return None;
    }
    let subject = format!("host {host}");
    let detail = format!("Sidecar {} does not import it", scope.name);
    ctx.step(1, subject, Verdict::Failed, detail.clone());
    Some(if scope.registry_only() {
        Decision::NoRoute {
            reason: format!(
                "{detail}, and its outboundTrafficPolicy is REGISTRY_ONLY: the request is refused (502)"
            ),
            virtual_service: None,
        }
    } else {
        Decision::Default {
            host: host.to_string(),
            reason: format!(
                "{detail}: no route; the request passes through to {host} as sent (PassthroughCluster)"
            ),
        }
    })
}

/// A port the host's Service does not declare has no outbound listener
/// or virtual host of that Service: none of its routes apply. Envoy passes
/// the request through to the address as sent (PassthroughCluster), or
/// refuses it under a Sidecar's `REGISTRY_ONLY`; either way it reaches no
/// workload, since the Service's virtual IP forwards only its declared
/// ports. Headless Services (the address is a pod's, which may listen on
/// the port) and hosts a ServiceEntry also declares are left to routing.
fn undeclared_port(
    ctx: &mut Context,
    host: &str,
    scope: Option<&SidecarScope>,
) -> Option<Decision> {
    let (object, service) = ctx.index.service(host)?;
    let spec = service.spec.as_ref()?;
    let ports = spec.ports.as_deref().unwrap_or_default();
    let port = ctx.request.port;
    if ports.is_empty()
        || spec.type_.as_deref() == Some("ExternalName")
        || spec.cluster_ip.as_deref() == Some("None")
        || ports.iter().any(|p| u32::try_from(p.port) == Ok(port))
    {
        return None;
    }
    let namespace = ctx.proxy.namespace.clone();
    let snapshot = ctx.index.snapshot;
    if matches!(
        snapshot.lookup_host(host, &namespace, &["*".to_string()]),
        Some(DeclaredBy::ServiceEntry(..))
    ) {
        return None;
    }
    let declared: Vec<String> = ports.iter().map(|p| p.port.to_string()).collect();
    let detail = format!(
        "port {port} is not a port of Service {} (it declares {})",
        names::qualified(object),
        declared.join(", ")
    );
    ctx.step(1, format!("host {host}"), Verdict::Failed, detail.clone());
    let outcome = if scope.is_some_and(SidecarScope::registry_only) {
        "the Sidecar's outboundTrafficPolicy is REGISTRY_ONLY: the request is refused (502)"
    } else {
        "no route applies; it passes through to the Service's address as sent \
         (PassthroughCluster), which forwards no other port: it reaches no workload"
    };
    Some(Decision::NoRoute {
        reason: format!("{detail}: {outcome}"),
        virtual_service: None,
    })
}

/// Every VirtualService with a host matching, then the ones the sidecar
/// sees: bound to `mesh`, exported to the caller's namespace and imported
/// by its Sidecar.
fn usable_virtual_services(
    ctx: &mut Context,
    host: &str,
    scope: Option<&SidecarScope>,
) -> Vec<Usable> {
    let index = ctx.index;
    let namespace = ctx.proxy.namespace.clone();
    let mut usable = Vec::new();
    for id in index.vs_candidates(host) {
        let vs = index.vs(id);
        if vs.hosts.is_empty() {
            continue;
        }
        let subject = vs.label();
        // A Gateway API route attached to a Gateway's listener is none of
        // a sidecar's business: left out of the trace.
        if vs.is_gateway_api() && !vs.bound_to(MESH) {
            continue;
        }
        if !vs.bound_to(MESH) {
            let detail = format!(
                "bound to gateways [{}], not mesh (sidecars)",
                vs.gateways.join(", ")
            );
            ctx.step(1, subject, Verdict::Skipped, detail);
            continue;
        }
        if !vs.is_visible_to(&namespace) {
            let detail = format!(
                "exportTo [{}] does not include namespace {namespace:?}",
                vs.spec.export_to.join(", ")
            );
            ctx.step(1, subject, Verdict::Skipped, detail);
            continue;
        }
        if vs.is_gateway_api()
            && let Some(detail) = outside_gamma_scope(ctx, host, vs.namespace())
        {
            ctx.step(1, subject, Verdict::Skipped, detail);
            continue;
        }
        if let Some(scope) = scope
            && !scope.imports_vs(vs)
        {
            let detail = format!("Sidecar {} does not import its hosts", scope.name);
            ctx.step(1, subject, Verdict::Skipped, detail);
            continue;
        }
        let export_to = &vs.spec.export_to;
        let private = vs.namespace() == namespace
            && export_to.iter().any(|e| e == "." || *e == namespace)
            && !export_to.iter().any(|e| e == "*");
        let class = if private {
            0
        } else if export_to.contains(&namespace) {
            1
        } else {
            2
        };
        usable.push(Usable {
            id,
            specificity: best_host(&vs.hosts, host),
            class,
            consumer_route: vs.is_gateway_api() && vs.namespace() == namespace,
        });
    }
    usable
}

/// The VirtualService the sidecar keeps: the most specific host, then
/// Istio's order; the others are traced as skipped.
fn choose(ctx: &mut Context, usable: &[Usable]) -> Option<usize> {
    let index = ctx.index;
    let top = usable.iter().map(|u| u.specificity).max()?;
    let mut winners: Vec<&Usable> = usable.iter().filter(|u| u.specificity == top).collect();
    winners.sort_by(|a, b| {
        a.class
            .cmp(&b.class)
            .then(b.consumer_route.cmp(&a.consumer_route))
            .then_with(|| {
                creation_order(index.vs(a.id).object).cmp(&creation_order(index.vs(b.id).object))
            })
    });
    for loser in usable.iter().filter(|u| u.specificity < top) {
        ctx.step(
            1,
            index.vs(loser.id).label(),
            Verdict::Skipped,
            "another VirtualService has a more specific host for this request",
        );
    }
    let first = index.vs(winners[0].id).label();
    for shadowed in &winners[1..] {
        ctx.step(
            1,
            index.vs(shadowed.id).label(),
            Verdict::Skipped,
            format!(
                "same host as {first}, which comes first; sidecars keep only the first VirtualService of a host"
            ),
        );
    }
    Some(winners[0].id)
}

/// GAMMA's scope, as Istio's sidecar applies it: a mesh route applies
/// to callers in its own namespace (a consumer route), or to every caller
/// when it is in its Service's namespace (a producer route).
fn outside_gamma_scope(ctx: &Context, host: &str, route_namespace: &str) -> Option<String> {
    let (service, _) = ctx.index.service(host)?;
    let service_namespace = service.namespace.as_deref().unwrap_or_default();
    let caller = ctx.proxy.namespace.as_str();
    (service_namespace != route_namespace && caller != route_namespace).then(|| {
        format!(
            "a route of namespace {route_namespace:?} for a Service of namespace \
             {service_namespace:?} applies only to callers in {route_namespace:?}, \
             not {caller:?}"
        )
    })
}

/// Gateway API routes for the host that Istio refuses to convert: they
/// route nothing, and the trace says why.
fn note_refused_routes(ctx: &mut Context, host: &str) {
    for refused in ctx.index.refused_routes(host) {
        ctx.step(
            1,
            refused.route.clone(),
            Verdict::Skipped,
            refused.reason.clone(),
        );
    }
}

fn best_host(vs_hosts: &[String], host: &str) -> (u8, usize) {
    vs_hosts
        .iter()
        .filter(|h| overlaps(h, host))
        .map(|h| names::specificity(h))
        .max()
        .unwrap_or((0, 0))
}

fn matching_host<'h>(vs_hosts: &'h [String], host: &str) -> &'h str {
    vs_hosts
        .iter()
        .filter(|h| overlaps(h, host))
        .max_by_key(|h| names::specificity(h))
        .map_or("", String::as_str)
}
