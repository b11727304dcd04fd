//! Fields of the Gateway API's experimental channel in a standard kind
//! (MSH4002, Info): meshctl checks them as the experimental CRDs do, and
//! says that only those CRDs serve them.

use super::super::Findings;
use crate::model::gateway_api::HttpRouteSpec;
use crate::report::{Example, Level, Rule};

pub static RULE: Rule = Rule {
    code: "MSH4002",
    name: "gateway-api-experimental-field",
    level: Level::Info,
    summary: "A field only the Gateway API's experimental-channel CRDs serve.",
    kinds: &["HTTPRoute"],
    explanation: "The Gateway API ships two channels of CRDs. Some fields, such as an \
        HTTPRoute rule's `retry` (GEP-1731), exist only in the experimental one: meshctl checks \
        them as those CRDs do (`attempts` at least 1, `codes` a set of statuses from 400 to \
        599, `backoff` a Gateway API duration) and Istio honours them. On a cluster with the \
        standard-channel CRDs the field is unknown: `kubectl apply` refuses it (strict field \
        validation, its default) or the API server drops it. Install the experimental CRDs, \
        or leave the field out.",
    example: Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\nspec:\n  rules:\n  - retry: {attempts: 3, codes: [503]}\n    backendRefs:\n    - {name: reviews, port: 9080}\n",
        fires_at: &["spec.rules[0].retry"],
    },
};

pub fn check(spec: &HttpRouteSpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        if rule.retry.is_some() {
            found.report(
                format!("spec.rules[{i}].retry"),
                "retry is served by the Gateway API's experimental-channel CRDs only; the standard channel's refuse or drop it",
            );
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
