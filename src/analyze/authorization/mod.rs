//! Analyzers: authorization.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
