//! Analyzers: destination_rule.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
