//! VirtualService rule groups.

mod cors_and_headers;
mod destinations;
mod export_to;
mod fault_injection;
mod hosts_and_gateways;
mod http_match;
#[cfg(test)]
mod istio_cases;
mod mirror;
mod retries_timeouts;
mod route_actions;
mod support;
mod tcp_tls_routes;
mod unreachable;

use super::SemanticRule;
use crate::model::istio::VirtualServiceSpec;

pub static RULES: &[SemanticRule<VirtualServiceSpec>] = &[
    SemanticRule {
        rule: &hosts_and_gateways::RULE,
        check: hosts_and_gateways::check,
    },
    SemanticRule {
        rule: &http_match::RULE,
        check: http_match::check,
    },
    SemanticRule {
        rule: &route_actions::RULE,
        check: route_actions::check,
    },
    SemanticRule {
        rule: &destinations::RULE,
        check: destinations::check,
    },
    SemanticRule {
        rule: &mirror::RULE,
        check: mirror::check,
    },
    SemanticRule {
        rule: &retries_timeouts::RULE,
        check: retries_timeouts::check,
    },
    SemanticRule {
        rule: &fault_injection::RULE,
        check: fault_injection::check,
    },
    SemanticRule {
        rule: &cors_and_headers::RULE,
        check: cors_and_headers::check,
    },
    SemanticRule {
        rule: &tcp_tls_routes::RULE,
        check: tcp_tls_routes::check,
    },
    SemanticRule {
        rule: &export_to::RULE,
        check: export_to::check,
    },
    SemanticRule {
        rule: &unreachable::UNREACHABLE_RULE,
        check: unreachable::check_unreachable,
    },
    SemanticRule {
        rule: &unreachable::INEFFECTIVE_RULE,
        check: unreachable::check_ineffective,
    },
];

/// What the rule groups of this kind read.
pub(super) const KINDS: &[&str] = &["VirtualService"];

/// The findings of `rule` for a VirtualService `r` whose one HTTP route goes
/// to `r` and carries the `extra` lines (indented as route fields), for the
/// rule groups' case tests.
#[cfg(test)]
fn route_findings(rule: &crate::report::Rule, extra: &str) -> String {
    crate::validate::test_support::findings_of(
        rule,
        &format!(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {{host: r}}\n{extra}"
        ),
    )
}
