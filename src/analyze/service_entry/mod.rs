//! Analyzers of ServiceEntries.

mod conflicting_protocol;
mod protocol_addresses;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[
    &protocol_addresses::ANALYZER,
    &conflicting_protocol::ANALYZER,
];
