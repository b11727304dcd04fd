//! Analyzers: service_entry.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
