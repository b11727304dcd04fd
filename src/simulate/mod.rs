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

//!
//! Layout: [`index`] (the configuration indexed once, Services read from
//! the snapshot's host registry) and [`names`] (the Envoy- and
//! request-side naming rules; Istio's host, `exportTo`, gateway-reference,
//! CIDR and selector rules come from [`crate::mesh`]); routing through a
//! sidecar ([`sidecar_routing`], with [`sidecar_scope`]) or a Gateway
//! ([`gateway_routing`]) to a [`routing::Decision`], over HTTP routes
//! ([`http_routes`], [`delegates`], [`matching`]) or TCP/TLS ones ([`l4`]);
//! then [`route_actions`] and [`destinations`] (with [`policy`]) fill the
//! [`Simulation`] ([`result`]), [`draw`] repeats Envoy's random choices and
//! [`authz`] decides authorization. Every step shares one
//! [`context::Context`].

mod authz;
mod context;
mod delegates;
mod destinations;
mod draw;
mod gateway_api;
mod gateway_routing;
mod http_routes;
mod index;
mod l4;
mod matching;
mod names;
mod policy;
mod regexes;
pub mod request;
mod result;
mod route_actions;
mod routing;
mod sidecar_routing;
mod sidecar_scope;

use crate::snapshot::Snapshot;
use context::Context;
pub use gateway_api::RuleOrigin;
pub use index::Index;
pub use matching::{claim_name, meets_match_block};
pub use request::{Protocol, Request, Source};
pub use result::{
    Authorization, AuthzDecision, Destination, DirectResponse, Fault, FaultAbort, FaultCounts,
    FaultDelay, Mirror, Redirect, Retries, Rewrite, Simulation, Step, Verdict,
};
use routing::Routed;

/// Istio's retry policy for routes that set none.
pub const DEFAULT_RETRY_ON: &str =
    "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
pub const DEFAULT_RETRY_ATTEMPTS: i32 = 2;
/// The seed of `--count` draws when none is given.
pub const DEFAULT_SEED: u64 = 1;
/// The most requests `--count` draws: each is drawn one by one, so a
/// careless `--count 1000000000000` would run for hours.
pub const MAX_COUNT: u64 = 100_000_000;

/// How to simulate, besides the request.
#[derive(Debug, Clone)]
pub struct Options {
    /// Draw this many requests through Envoy's random choices.
    pub count: Option<u64>,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            count: None,
            seed: DEFAULT_SEED,
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
    let index = Index::new(snapshot);
    simulate_indexed(&index, request, options)
}

/// [`simulate`] with the index already built (to simulate many requests).
pub fn simulate_indexed(
    index: &Index,
    request: &Request,
    options: &Options,
) -> Result<Simulation, String> {
    let mode = index.snapshot.mesh.path_normalization.normalization;
    let request = &*request.with_path_normalization(mode);
    let mut ctx = Context::new(index, request)?;
    let Routed { decision, host } = routing::route(&mut ctx);
    let mut sim = Simulation::new(request, &ctx.proxy.gateway, host);
    route_actions::apply(&mut ctx, decision, &mut sim);
    if let Some(count) = options.count {
        draw::draw_counts(&mut sim, count, options.seed);
    }
    if let Some(target) = destinations::authorization_target(index, &sim) {
        sim.authorization = Some(authz::authorize(index, request, &target, &mut ctx.trace));
    }
    sim.trace = ctx.trace;
    Ok(sim)
}
