//! The Gateway API's own rules beyond its structural schema: the CRDs' CEL
//! rules (`x-kubernetes-validations`), written as meshctl's checks. One file
//! per rule group, several kinds to a group where the CRDs share a rule (a
//! group's `check` functions are named after the kinds they read). Every
//! group reports MSH4001: the API server's refusals share one code, as
//! Istio's webhook ones share IST0106. A field only the experimental
//! channel serves is reported once more, as information (MSH4002), and a
//! zero retry backoff, which Envoy refuses after Istio's conversion, is a
//! warning (MSH4003).
//!
//! Not written: GatewayClass's `controllerName` is immutable, a rule on
//! updates (old against new object) that one file cannot break.

mod backend_tls_targets;
mod backend_tls_validation;
mod experimental_fields;
mod filter_lists;
mod gateway_addresses;
mod gateway_infrastructure;
mod grpc_filters;
mod grpc_method_match;
mod http_filters;
mod listeners;
mod match_count;
mod mirror;
mod parent_refs;
mod path_match;
mod path_rewrites;
mod retry_backoff;
mod service_port;
#[cfg(test)]
mod structural_cases;
mod support;
mod timeouts;
mod tls_route_hostnames;

use super::SemanticRule;
use crate::model::gateway_api::{
    BackendTlsPolicySpec, GatewaySpec, GrpcRouteSpec, HttpRouteSpec, ListenerSetSpec, TcpRouteSpec,
    TlsRouteSpec, UdpRouteSpec,
};
use crate::report::{Example, Level, Rule};

/// The route kinds, which share the parentRefs and backend port rules.
const ROUTE_KINDS: &[&str] = &["HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute"];

/// A rule group entry of one kind.
macro_rules! group {
    ($module:ident :: $check:ident) => {
        SemanticRule {
            rule: &$module::RULE,
            check: $module::$check,
        }
    };
}

pub static HTTP_ROUTE: &[SemanticRule<HttpRouteSpec>] = &[
    group!(parent_refs::http),
    group!(match_count::http),
    group!(http_filters::check),
    group!(path_match::check),
    group!(path_rewrites::check),
    group!(mirror::http),
    group!(timeouts::check),
    group!(service_port::http),
    group!(experimental_fields::check),
    group!(retry_backoff::check),
];

pub static GRPC_ROUTE: &[SemanticRule<GrpcRouteSpec>] = &[
    group!(parent_refs::grpc),
    group!(match_count::grpc),
    group!(grpc_filters::check),
    group!(grpc_method_match::check),
    group!(mirror::grpc),
    group!(service_port::grpc),
];

pub static TCP_ROUTE: &[SemanticRule<TcpRouteSpec>] =
    &[group!(parent_refs::tcp), group!(service_port::tcp)];

pub static TLS_ROUTE: &[SemanticRule<TlsRouteSpec>] = &[
    group!(parent_refs::tls),
    group!(tls_route_hostnames::check),
    group!(service_port::tls),
];

pub static UDP_ROUTE: &[SemanticRule<UdpRouteSpec>] =
    &[group!(parent_refs::udp), group!(service_port::udp)];

pub static GATEWAY: &[SemanticRule<GatewaySpec>] = &[
    group!(gateway_addresses::check),
    group!(gateway_infrastructure::check),
    group!(listeners::gateway),
];

pub static LISTENER_SET: &[SemanticRule<ListenerSetSpec>] = &[group!(listeners::listener_set)];

pub static BACKEND_TLS_POLICY: &[SemanticRule<BackendTlsPolicySpec>] = &[
    group!(backend_tls_validation::check),
    group!(backend_tls_targets::check),
];

/// Builds the [`Rule`] of a Gateway API rule group: what the API server
/// refuses.
const fn api_server_rule(
    name: &'static str,
    kinds: &'static [&'static str],
    summary: &'static str,
    explanation: &'static str,
    example: Example,
) -> Rule {
    Rule {
        code: "MSH4001",
        name,
        level: Level::Error,
        summary,
        kinds,
        explanation,
        example,
    }
}
