//! Analyzers of the Kubernetes Gateway API as Istio implements it.

mod backend_refs;
mod crd_version;
mod ineffective_selector;
mod parent_refs;
mod routes;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[
    &ineffective_selector::ANALYZER,
    &crd_version::ANALYZER,
    &backend_refs::ANALYZER,
    &parent_refs::ANALYZER,
];
