//! Analyzers: annotations.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
