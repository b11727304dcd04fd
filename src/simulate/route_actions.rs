//! What a routing decision means for the request: the matched route's
//! redirect, direct response, rewrite, timeout, retries, faults, mirrors
//! and header changes, and its destinations.

use serde_json::Value;

use super::context::Context;
use super::destinations::{Wanted, push_destinations, resolve_destination};
use super::draw::Fraction;
use super::gateway_api::RuleOrigin;
use super::http_routes::RouteEntry;
use super::l4::L4Route;
use super::matching::{self, PrefixKind};
use super::regexes::Regexes;
use super::request::{Protocol, Request};
use super::result::{
    DirectResponse, Fault, FaultAbort, FaultDelay, Mirror, Redirect, Retries, Rewrite, Simulation,
    Verdict,
};
use super::routing::Decision;
use super::{DEFAULT_RETRY_ATTEMPTS, DEFAULT_RETRY_ON};
use crate::model::istio::{self, HttpRoute};

/// Fills in what the decision means for the request.
pub fn apply(ctx: &mut Context, decision: Decision, sim: &mut Simulation) {
    match decision {
        Decision::Route { entry, match_index } => apply_route(ctx, &entry, match_index, sim),
        Decision::L4 { route } => apply_l4_route(ctx, &route, sim),
        Decision::Default { host, reason } => {
            sim.reason = Some(reason);
            let wanted = Wanted {
                host: &host,
                subset: None,
                port: None,
            };
            let destination = resolve_destination(ctx, wanted, 100, 100);
            if ctx.request.protocol == Protocol::Http {
                sim.retries = Some(default_retries());
            }
            sim.destinations.push(destination);
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
}

fn apply_route(
    ctx: &mut Context,
    entry: &RouteEntry,
    match_index: Option<usize>,
    sim: &mut Simulation,
) {
    let (index, request) = (ctx.index, ctx.request);
    let route = &entry.route;
    let origin = entry.gateway_api_origin(index);
    sim.matched = true;
    sim.virtual_service = index.vs(entry.vs).virtual_service();
    sim.delegate = entry.delegate.map(|d| index.vs(d).name());
    sim.delegate_route_index = entry.delegate_index;
    sim.http_route_name = route.name.clone();
    // A Gateway API route is named by its rule and match, not by the
    // places of the VirtualService Istio built from it.
    if origin.is_none() {
        sim.http_route_index = Some(entry.http_index);
        sim.match_index = match_index;
    }
    sim.gateway_api_route = origin.cloned();
    let prefix_kind = if origin.is_some() {
        PrefixKind::Segments
    } else {
        PrefixKind::String
    };
    sim.headers = route
        .headers
        .as_ref()
        .and_then(|h| serde_json::to_value(h).ok());
    let matched = match_index.and_then(|k| route.matches.get(k));
    if let Some(redirect) = &route.redirect {
        sim.redirect = Some(redirect_of(redirect, request, matched, &index.regexes));
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
        .map(|r| rewrite_of(r, request, matched, &index.regexes, prefix_kind));
    sim.timeout = route.timeout.clone();
    sim.retries = Some(match &route.retries {
        None => default_retries(),
        Some(r) if r.attempts.unwrap_or(0) <= 0 => Retries {
            attempts: 0,
            per_try_timeout: None,
            retry_on: None,
            backoff: None,
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
            backoff: r.backoff.clone(),
            default: false,
        },
    });
    sim.fault = route.fault.as_deref().map(fault_of);
    sim.mirrors = mirrors_of(route);
    let items = route
        .route
        .iter()
        .filter_map(|d| Some((d.destination.as_ref()?, d.weight, d.headers.as_ref())));
    push_destinations(ctx, items, sim);
    if let Some(origin) = origin {
        note_backend_problems(ctx, origin, sim);
    }
}

/// A backend Istio could not resolve keeps its place in the route, but
/// Envoy has no cluster for it: requests drawn to it get a 500.
fn note_backend_problems(ctx: &mut Context, origin: &RuleOrigin, sim: &mut Simulation) {
    for (destination, problem) in sim.destinations.iter_mut().zip(&origin.backend_problems) {
        if let Some(problem) = problem
            && destination.problem.is_none()
        {
            ctx.step(
                2,
                format!("destination {}", destination.host),
                Verdict::Failed,
                problem.clone(),
            );
            destination.problem = Some(problem.clone());
        }
    }
}

/// A matched `tcp` or `tls` route: its weighted destinations, nothing
/// HTTP-only.
fn apply_l4_route(ctx: &mut Context, route: &L4Route, sim: &mut Simulation) {
    sim.matched = true;
    sim.virtual_service = ctx.index.vs(route.vs).virtual_service();
    let origin = route.gateway_api_origin(ctx.index);
    if origin.is_none() {
        match route.protocol {
            Protocol::Tls => sim.tls_route_index = Some(route.route_index),
            _ => sim.tcp_route_index = Some(route.route_index),
        }
        sim.match_index = route.match_index;
    }
    sim.gateway_api_route = origin.cloned();
    let items = route
        .route
        .iter()
        .filter_map(|d| Some((d.destination.as_ref()?, d.weight, None::<&Value>)));
    push_destinations(ctx, items, sim);
    if let Some(origin) = origin {
        note_backend_problems(ctx, origin, sim);
    }
}

fn default_retries() -> Retries {
    Retries {
        attempts: DEFAULT_RETRY_ATTEMPTS,
        per_try_timeout: None,
        retry_on: Some(DEFAULT_RETRY_ON.into()),
        backoff: None,
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
    regexes: &Regexes,
    prefix_kind: PrefixKind,
) -> Rewrite {
    let mut path = request.path.clone();
    let matched_prefix = matched
        .and_then(|m| m.uri.as_ref())
        .and_then(|u| u.prefix.as_deref());
    if let Some(rr) = &r.uri_regex_rewrite {
        if let (Some(pattern), Some(to)) = (&rr.matches, &rr.rewrite)
            && let Some(re) = regexes.rewrite(pattern)
        {
            path = re
                .replace_all(&path, envoy_substitution(to).as_str())
                .into_owned();
        }
    } else if let (Some("/"), Some(prefix), PrefixKind::Segments) =
        (r.uri.as_deref(), matched_prefix, prefix_kind)
    {
        // Istio removes a Gateway API path prefix whole, keeping one `/`.
        let rest = path.get(prefix.len().min(path.len())..).unwrap_or("");
        path = format!("/{}", rest.strip_prefix('/').unwrap_or(rest));
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
    regexes: &Regexes,
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
        rewrite_of(&rewrite, request, matched, regexes, PrefixKind::String).path
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
