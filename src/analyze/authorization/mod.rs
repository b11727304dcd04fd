//! Analyzers of AuthorizationPolicies.

mod policies;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&policies::ANALYZER];
