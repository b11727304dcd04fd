//! An HTTPRoute `retry.backoff` of zero (MSH4003): the CRD's pattern takes
//! `0s`, and Istio's conversion hands it to Envoy as the retry back-off's
//! base interval, which Envoy requires to be above zero.

use super::super::Findings;
use crate::mesh::duration;
use crate::model::gateway_api::HttpRouteSpec;
use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH4003",
    name: "gateway-api-retry-backoff-zero",
    level: Level::Warning,
    summary: "An HTTPRoute retry backoff of zero, which Envoy refuses once Istio converts it.",
    kinds: &["HTTPRoute"],
    explanation: "The API server accepts `retry.backoff: 0s` (any Gateway API duration), and \
        Istio's conversion copies it into the route's retry policy as Envoy's back-off base \
        interval without a check. Envoy requires that interval to be above zero, so it \
        refuses the route configuration that carries it, and the proxy keeps its older \
        routes. (A VirtualService's `retries.backoff` under 1ms is refused by Istio's webhook \
        instead.) Leave `backoff` out for Envoy's default of 25ms, or give at least `1ms`.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\nspec:\n  rules:\n  - retry: {attempts: 3, backoff: 0s}\n    backendRefs:\n    - {name: reviews, port: 9080}\n",
        fires_at: &["spec.rules[0].retry.backoff"],
    },
};

pub fn check(spec: &HttpRouteSpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        let Some(backoff) = rule.retry.as_ref().and_then(|r| r.backoff.as_deref()) else {
            continue;
        };
        if duration::parse(backoff).is_ok_and(|d| d.is_zero()) {
            found.report(
                format!("spec.rules[{i}].retry.backoff"),
                format!("backoff {backoff:?} is zero: Envoy refuses a retry back-off of zero, so the proxy would reject the routes Istio sends"),
            );
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
