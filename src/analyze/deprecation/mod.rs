//! Analyzers: deprecation.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
