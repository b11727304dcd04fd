//! Analyzers: gateway.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
