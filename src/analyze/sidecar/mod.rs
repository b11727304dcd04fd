//! Analyzers of Sidecars.

mod selector;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&selector::ANALYZER];
