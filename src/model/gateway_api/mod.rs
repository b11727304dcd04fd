//! The Gateway API's resource specs (`gateway.networking.k8s.io`, standard
//! channel), one file per kind.
//!
//! Every field of the API is here, with its JSON name. Optional fields are
//! `Option`/empty collections; the schema marks required fields, bounds,
//! patterns (of a field and of each item of a list) and the key fields of
//! keyed lists (`x-kubernetes-list-map-keys`), and the loader checks them all
//! from it. Where a kind is served at two versions (v1 and v1beta1) both
//! serve one schema. Each kind's structs are named by their place in it
//! (`Rule`, `Match`, ...); another kind's struct of the same name is its own, unless it is alike
//! in every field: those several kinds share are in `common.rs`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod backend_tls_policy;
mod common;
pub mod gateway;
pub mod gateway_class;
pub mod grpc_route;
pub mod http_route;
pub mod listener_set;
pub mod reference_grant;
pub mod tcp_route;
pub mod tls_route;
pub mod udp_route;

pub use backend_tls_policy::BackendTlsPolicySpec;
pub use common::*;
pub use gateway::GatewaySpec;
pub use gateway_class::GatewayClassSpec;
pub use grpc_route::GrpcRouteSpec;
pub use http_route::HttpRouteSpec;
pub use listener_set::ListenerSetSpec;
pub use reference_grant::ReferenceGrantSpec;
pub use tcp_route::TcpRouteSpec;
pub use tls_route::TlsRouteSpec;
pub use udp_route::UdpRouteSpec;
