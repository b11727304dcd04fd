//! Request mirrors: a share of requests is a percent or a fraction, and a
//! fraction is at most one.

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::{GrpcRouteSpec, HttpRouteSpec, RequestMirror};
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-request-mirror",
    &["HTTPRoute", "GRPCRoute"],
    "A request mirror with both a percent and a fraction, or a fraction above one.",
    "A `requestMirror` filter mirrors every request, or the share given by `percent` or by \
     `fraction`, not both; a fraction's numerator is at most its denominator (100 by default).",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  rules:\n  - filters:\n    - type: RequestMirror\n      requestMirror:\n        backendRef: {name: shadow, port: 80}\n        fraction: {numerator: 3, denominator: 2}\n    backendRefs:\n    - {name: web, port: 80}\n",
        fires_at: &["spec.rules[0].filters[0].requestMirror.fraction"],
    },
);

/// Spells out one kind's check: every mirror of its rules' and backends'
/// filter lists.
macro_rules! mirrors {
    ($name:ident, $spec:ty) => {
        pub fn $name(spec: &$spec, found: &mut Findings) {
            for (i, rule) in spec.rules.iter().enumerate() {
                let lists = std::iter::once((format!("spec.rules[{i}].filters"), &rule.filters))
                    .chain(rule.backend_refs.iter().enumerate().map(|(j, b)| {
                        (
                            format!("spec.rules[{i}].backendRefs[{j}].filters"),
                            &b.filters,
                        )
                    }));
                for (path, filters) in lists {
                    for (k, filter) in filters.iter().enumerate() {
                        if let Some(mirror) = &filter.request_mirror {
                            check_mirror(mirror, &format!("{path}[{k}].requestMirror"), found);
                        }
                    }
                }
            }
        }
    };
}

mirrors!(http, HttpRouteSpec);
mirrors!(grpc, GrpcRouteSpec);

fn check_mirror(mirror: &RequestMirror, path: &str, found: &mut Findings) {
    if mirror.percent.is_some() && mirror.fraction.is_some() {
        found.report(path, "only one of percent or fraction may be specified");
    }
    if let Some(fraction) = &mirror.fraction {
        let numerator = fraction.numerator.unwrap_or_default();
        let denominator = fraction.denominator.unwrap_or(100);
        if numerator > denominator {
            found.report(
                format!("{path}.fraction"),
                format!(
                    "numerator {numerator} must be less than or equal to denominator {denominator}"
                ),
            );
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
