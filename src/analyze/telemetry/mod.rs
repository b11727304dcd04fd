//! Analyzers of Telemetry resources.

mod default_selector;
mod lightstep;
mod providers;
mod selector;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[
    &providers::ANALYZER,
    &selector::ANALYZER,
    &default_selector::ANALYZER,
    &lightstep::ANALYZER,
];
