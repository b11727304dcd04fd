//! Analyzers: Istio annotations on Kubernetes resources.

mod k8s;
mod registry;
mod values;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&k8s::ANALYZER];
