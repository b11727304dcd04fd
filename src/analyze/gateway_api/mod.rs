//! Analyzers of the Kubernetes Gateway API as Istio implements it.

mod backend_refs;
mod certificate_refs;
mod crd_version;
mod ineffective_selector;
mod listener_conflicts;
mod listener_set_not_allowed;
mod listeners;
mod not_istios;
mod parent_refs;
mod route_kinds;
mod routes;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[
    &ineffective_selector::ANALYZER,
    &crd_version::ANALYZER,
    &backend_refs::ANALYZER,
    &parent_refs::ANALYZER,
    &listener_set_not_allowed::ANALYZER,
    &listener_conflicts::ANALYZER,
    &certificate_refs::ANALYZER,
    &route_kinds::ANALYZER,
    &not_istios::ANALYZER,
];
