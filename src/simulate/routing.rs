//! Where a request goes, as a [`Decision`]: through the caller's sidecar
//! ([`super::sidecar_routing`]) or a Gateway ([`super::gateway_routing`]).
//! What the decision then means for the request (destinations, route
//! actions) is [`super::route_actions`]'s.

use super::context::Context;
use super::http_routes::RouteEntry;
use super::l4::{self, L4Outcome, L4Route};
use super::request::Protocol;
use super::result::Verdict;
use super::{gateway_routing, sidecar_routing};

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

/// What routing found: the decision and the host it was made for.
pub struct Routed {
    pub decision: Decision,
    pub host: String,
}

pub fn route(ctx: &mut Context) -> Routed {
    match ctx.gateway {
        None => sidecar_routing::route(ctx),
        Some(gateway) => gateway_routing::route(ctx, gateway),
    }
}

/// The VirtualServices apply but none of their routes takes the request:
/// Envoy has no route for it. The trace ends with the reason.
pub fn no_route(ctx: &mut Context, reason: String, virtual_service: Option<String>) -> Decision {
    ctx.step(1, "routes", Verdict::Failed, reason.clone());
    Decision::NoRoute {
        reason,
        virtual_service,
    }
}

/// Who takes a TCP or TLS connection no route matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum L4Fallback {
    /// A sidecar: the host's default route.
    DefaultRoute,
    /// A gateway: nobody; it closes the connection.
    Close,
}

/// The TCP or TLS routes of the chosen VirtualServices. Without a match, a
/// sidecar sends TCP to the host's default route, and TLS too unless some
/// `tls` match block was given to it (then no filter chain takes the
/// connection); a gateway has no default route.
pub fn l4_decision(
    ctx: &mut Context,
    vs_ids: &[usize],
    kind: Protocol,
    host: &str,
    fallback: L4Fallback,
) -> Decision {
    let vs_name = (vs_ids.len() == 1).then(|| ctx.index.vs(vs_ids[0]).name());
    let listener_has_routes = match l4::first_match(ctx, vs_ids, kind) {
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
    let reason = if fallback == L4Fallback::Close {
        format!("no {routes} route matches the connection: the gateway closes it")
    } else if kind == Protocol::Tls && listener_has_routes {
        format!(
            "no tls route matches SNI {:?}: no filter chain takes the connection, which is closed",
            ctx.request.server_name()
        )
    } else {
        let reason = format!("no {routes} route matches the connection: the host's default route");
        ctx.step(1, "routes", Verdict::Info, reason.clone());
        return Decision::Default {
            host: host.to_string(),
            reason,
        };
    };
    no_route(ctx, reason, vs_name)
}
