//! Analyzers of what controllers wrote back in resources' `status`.

mod negative_conditions;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&negative_conditions::ANALYZER];
