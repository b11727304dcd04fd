//! Istio's resource specs: networking.istio.io (VirtualService,
//! DestinationRule, Gateway, ServiceEntry, Sidecar, WorkloadEntry,
//! WorkloadGroup, ProxyConfig, EnvoyFilter), security.istio.io
//! (AuthorizationPolicy, PeerAuthentication, RequestAuthentication),
//! telemetry.istio.io (Telemetry) and extensions.istio.io (WasmPlugin).
//!
//! Every field of the API is here, with the JSON name Istio uses. Optional
//! fields are `Option`/empty collections; the schema marks which are required
//! and which fields exclude each other, and the loader checks both from it.
//! Types are shared across served versions (v1, v1beta1, v1alpha3): Istio
//! serves one schema for all of them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod authorization_policy;
mod destination_rule;
mod envoy_filter;
mod gateway;
mod peer_authentication;
mod proxy_config;
mod request_authentication;
mod service_entry;
mod sidecar;
mod telemetry;
mod virtual_service;
mod wasm_plugin;
mod workload_entry;
mod workload_group;

pub use authorization_policy::*;
pub use destination_rule::*;
pub use envoy_filter::*;
pub use gateway::*;
pub use peer_authentication::*;
pub use proxy_config::*;
pub use request_authentication::*;
pub use service_entry::*;
pub use sidecar::*;
pub use telemetry::*;
pub use virtual_service::*;
pub use wasm_plugin::*;
pub use workload_entry::*;
pub use workload_group::*;
