//! GRPCRoute filters: each filter's type names the one field it sets, and a
//! header modifier appears once per list.

use super::super::Findings;
use super::api_server_rule;
use super::filter_lists::{FilterFields, check_list, type_name};
use crate::model::gateway_api::GrpcRouteSpec;
use crate::model::gateway_api::grpc_route::Filter;
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-grpc-filters",
    &["GRPCRoute"],
    "A GRPCRoute filter that does not match its type, or a repeated header modifier.",
    "A filter's `type` says which one of its fields is set: `RequestHeaderModifier` needs \
     `requestHeaderModifier` and no other, and so on for `ResponseHeaderModifier`, `RequestMirror` \
     and `ExtensionRef`. In one list (a rule's or a backend's) each header modifier appears at \
     most once.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata:\n  name: api\nspec:\n  rules:\n  - filters:\n    - type: ResponseHeaderModifier\n      requestHeaderModifier: {remove: [x-debug]}\n",
        fires_at: &[
            "spec.rules[0].filters[0]",
            "spec.rules[0].filters[0].requestHeaderModifier",
        ],
    },
);

const ONCE: &[&str] = &["RequestHeaderModifier", "ResponseHeaderModifier"];

pub fn check(spec: &GrpcRouteSpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        let path = format!("spec.rules[{i}]");
        check_filters(&rule.filters, &format!("{path}.filters"), found);
        for (j, backend) in rule.backend_refs.iter().enumerate() {
            check_filters(
                &backend.filters,
                &format!("{path}.backendRefs[{j}].filters"),
                found,
            );
        }
    }
}

fn check_filters(filters: &[Filter], path: &str, found: &mut Findings) {
    let views: Vec<FilterFields> = filters.iter().map(view).collect();
    check_list(&views, ONCE, path, found);
}

fn view(filter: &Filter) -> FilterFields {
    FilterFields {
        declared: filter.r#type.as_ref().and_then(type_name),
        fields: vec![
            (
                "RequestHeaderModifier",
                "requestHeaderModifier",
                filter.request_header_modifier.is_some(),
            ),
            (
                "ResponseHeaderModifier",
                "responseHeaderModifier",
                filter.response_header_modifier.is_some(),
            ),
            (
                "RequestMirror",
                "requestMirror",
                filter.request_mirror.is_some(),
            ),
            (
                "ExtensionRef",
                "extensionRef",
                filter.extension_ref.is_some(),
            ),
        ],
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
