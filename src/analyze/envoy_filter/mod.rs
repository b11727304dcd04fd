//! Analyzers of EnvoyFilters.

mod patch_operations;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&patch_operations::ANALYZER];
