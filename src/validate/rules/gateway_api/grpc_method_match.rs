//! GRPCRoute method matches: a match names a service, a method or both, and
//! exact names are gRPC identifiers.

use std::sync::LazyLock;

use regex::Regex;

use super::super::Findings;
use super::api_server_rule;
use crate::model::gateway_api::GrpcRouteSpec;
use crate::model::gateway_api::grpc_route::{Method, MethodType};
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-grpc-method-match",
    &["GRPCRoute"],
    "A GRPCRoute method match with neither service nor method, or an exact name gRPC cannot have.",
    "A method match names `service`, `method` or both. With type `Exact` (the default) the \
     service is a dotted protobuf name (`foo.bar.Baz`, a leading dot allowed) and the method an \
     identifier (letters, digits and `_`, not starting with a digit). Regular expressions are left \
     to the implementation.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata:\n  name: api\nspec:\n  rules:\n  - matches:\n    - method: {type: Exact}\n    - method: {service: shop.Cart, method: Add-Item}\n",
        fires_at: &[
            "spec.rules[0].matches[0].method",
            "spec.rules[0].matches[1].method.method",
        ],
    },
);

static SERVICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$").expect("valid regex")
});
static METHOD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z_0-9]*$").expect("valid regex"));

pub fn check(spec: &GrpcRouteSpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        for (j, m) in rule.matches.iter().enumerate() {
            if let Some(method) = &m.method {
                check_method(
                    method,
                    &format!("spec.rules[{i}].matches[{j}].method"),
                    found,
                );
            }
        }
    }
}

fn check_method(method: &Method, path: &str, found: &mut Findings) {
    // The type defaults to Exact, so every method match needs a name.
    if method.service.is_none() && method.method.is_none() {
        found.report(
            path,
            "one or both of 'service' or 'method' must be specified",
        );
    }
    if method.r#type.unwrap_or(MethodType::Exact) != MethodType::Exact {
        return;
    }
    if let Some(service) = &method.service
        && !SERVICE.is_match(service)
    {
        found.report(
            format!("{path}.service"),
            format!("{service:?} is not a valid gRPC service name"),
        );
    }
    if let Some(name) = &method.method
        && !METHOD.is_match(name)
    {
        found.report(
            format!("{path}.method"),
            format!("{name:?} is not a valid gRPC method name"),
        );
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
