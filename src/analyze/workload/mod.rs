//! Analyzers: workload.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
