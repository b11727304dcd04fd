//! Analyzers of Istio Gateways: their selector and ports against the
//! gateway workloads and Services, conflicts between Gateways on the same
//! workloads, and their TLS credentials.

mod certificate;
mod conflicting;
mod ingress_port;
mod secret;

use super::Analyzer;
use crate::model::StringMap;

pub const ANALYZERS: &[&Analyzer] = &[
    &ingress_port::ANALYZER,
    &conflicting::ANALYZER,
    &secret::ANALYZER,
    &certificate::ANALYZER,
];

/// A selector as Kubernetes prints one: `key=value` pairs in key order,
/// joined by commas.
fn selector_text(selector: &StringMap) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}
