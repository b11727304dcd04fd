//! Analyzers: virtual_service.

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[];
