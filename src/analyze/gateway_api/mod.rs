//! Analyzers of the Kubernetes Gateway API as Istio implements it.

mod crd_version;
mod ineffective_selector;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&ineffective_selector::ANALYZER, &crd_version::ANALYZER];
