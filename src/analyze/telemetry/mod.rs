//! Analyzers of Telemetry resources.

mod default_selector;
mod lightstep;
mod providers;
mod selector;

use super::Analyzer;
use crate::model::Object;

pub const ANALYZERS: &[&Analyzer] = &[
    &providers::ANALYZER,
    &selector::ANALYZER,
    &default_selector::ANALYZER,
    &lightstep::ANALYZER,
];

/// `[a, b]`: the names of the Telemetries, sorted, each once.
fn names(telemetries: &[&Object]) -> String {
    let mut names: Vec<&str> = telemetries.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    format!("[{}]", names.join(", "))
}
