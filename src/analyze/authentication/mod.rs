//! Analyzers of request authentication (RequestAuthentication and the
//! control plane settings it depends on).

mod blocked_cidrs;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&blocked_cidrs::ANALYZER];
