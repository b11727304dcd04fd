//! Analyzers of DestinationRules.

mod ca_certificates;
mod subset_pods;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[&ca_certificates::ANALYZER, &subset_pods::ANALYZER];
