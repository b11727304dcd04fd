//! HTTPRoute timeouts: a backend request never outlasts the request.

use super::super::Findings;
use super::api_server_rule;
use crate::mesh::duration;
use crate::model::gateway_api::HttpRouteSpec;
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-http-timeouts",
    &["HTTPRoute"],
    "A backendRequest timeout longer than the request timeout.",
    "`timeouts.request` bounds the whole request, retries included; `timeouts.backendRequest` \
     bounds one try to a backend, so it cannot be longer, unless the request timeout is `0s` \
     (none).",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  rules:\n  - timeouts: {request: 10s, backendRequest: 1m}\n    backendRefs:\n    - {name: web, port: 80}\n",
        fires_at: &["spec.rules[0].timeouts.backendRequest"],
    },
);

pub fn check(spec: &HttpRouteSpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        let Some(timeouts) = &rule.timeouts else {
            continue;
        };
        let (Some(request), Some(backend)) = (&timeouts.request, &timeouts.backend_request) else {
            continue;
        };
        // The pattern of both fields already holds; one that does not parse
        // is reported there.
        let (Ok(request), Ok(backend)) = (duration::parse(request), duration::parse(backend))
        else {
            continue;
        };
        if !request.is_zero() && backend > request {
            found.report(
                format!("spec.rules[{i}].timeouts.backendRequest"),
                "backendRequest timeout cannot be longer than request timeout",
            );
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
