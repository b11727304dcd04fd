//! Analyzers of AuthorizationPolicies.

mod policies;
mod service_accounts;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&policies::ANALYZER, &service_accounts::ANALYZER];
