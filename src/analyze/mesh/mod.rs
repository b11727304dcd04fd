//! meshctl's own analyzers, beyond istioctl's (MSH3xxx codes): mistakes
//! users make that istioctl does not look for.

mod deny_shadows_allow;
mod http_routes_on_tcp;
mod literal_wildcard;
mod retry_non_idempotent;
mod retry_timeout;
mod strict_mtls_plaintext;
mod unreachable_subset;

use super::Analyzer;

pub const ANALYZERS: &[&Analyzer] = &[
    &retry_non_idempotent::ANALYZER,
    &retry_timeout::ANALYZER,
    &unreachable_subset::ANALYZER,
    &deny_shadows_allow::ANALYZER,
    &strict_mtls_plaintext::ANALYZER,
    &literal_wildcard::ANALYZER,
    &http_routes_on_tcp::ANALYZER,
];
