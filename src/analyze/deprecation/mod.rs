//! Analyzers: deprecated Istio fields and kinds.

mod fields;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&fields::ANALYZER];
