//! Analyzers: sidecar.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
