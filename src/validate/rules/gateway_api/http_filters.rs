//! HTTPRoute filters: each filter's type names the one field it sets, a
//! filter type appears once per list, a redirect neither meets a rewrite nor
//! goes with backends, and a CORS `*` stands alone.

use super::super::Findings;
use super::api_server_rule;
use super::filter_lists::{FilterFields, check_list, type_name};
use crate::model::gateway_api::HttpRouteSpec;
use crate::model::gateway_api::http_route::{Cors, Filter, FilterType, Rule as RouteRule};
use crate::report::{Example, Rule};

pub static RULE: Rule = api_server_rule(
    "gateway-api-http-filters",
    &["HTTPRoute"],
    "An HTTPRoute filter that does not match its type, or a filter list the API server refuses.",
    "A filter's `type` says which one of its fields is set: `RequestHeaderModifier` needs \
     `requestHeaderModifier` and no other, and so on for `ResponseHeaderModifier`, `RequestMirror`, \
     `RequestRedirect`, `URLRewrite`, `ExtensionRef` and `CORS`. In one list (a rule's or a \
     backend's) the header modifiers, `RequestRedirect`, `URLRewrite` and `CORS` appear at most \
     once, and a redirect and a rewrite never together. A rule that redirects answers the request \
     itself, so it has no `backendRefs`. In a CORS filter `*` in `allowOrigins`, `allowMethods` or \
     `allowHeaders` means all and stands alone.",
    Example {
        yaml: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  rules:\n  - filters:\n    - type: RequestHeaderModifier\n    - type: RequestRedirect\n      requestRedirect: {scheme: https}\n    backendRefs:\n    - {name: web, port: 80}\n",
        fires_at: &["spec.rules[0].filters[0]", "spec.rules[0].filters[1]"],
    },
);

/// The types that appear at most once in a list.
const ONCE: &[&str] = &[
    "RequestHeaderModifier",
    "ResponseHeaderModifier",
    "RequestRedirect",
    "URLRewrite",
    "CORS",
];

pub fn check(spec: &HttpRouteSpec, found: &mut Findings) {
    for (i, rule) in spec.rules.iter().enumerate() {
        let path = format!("spec.rules[{i}]");
        check_filters(&rule.filters, &format!("{path}.filters"), found);
        check_redirect_without_backends(rule, &path, found);
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
    let types: Vec<Option<FilterType>> = filters.iter().map(|f| f.r#type).collect();
    if types.contains(&Some(FilterType::RequestRedirect))
        && let Some(i) = types
            .iter()
            .position(|t| *t == Some(FilterType::UrlRewrite))
    {
        found.report(
            format!("{path}[{i}]"),
            "a RequestRedirect and a URLRewrite filter cannot be used together",
        );
    }
    for (i, filter) in filters.iter().enumerate() {
        if let Some(cors) = &filter.cors {
            check_cors(cors, &format!("{path}[{i}].cors"), found);
        }
    }
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
                "RequestRedirect",
                "requestRedirect",
                filter.request_redirect.is_some(),
            ),
            ("URLRewrite", "urlRewrite", filter.url_rewrite.is_some()),
            (
                "ExtensionRef",
                "extensionRef",
                filter.extension_ref.is_some(),
            ),
            ("CORS", "cors", filter.cors.is_some()),
        ],
    }
}

fn check_redirect_without_backends(rule: &RouteRule, path: &str, found: &mut Findings) {
    if rule.backend_refs.is_empty() {
        return;
    }
    if let Some(i) = rule
        .filters
        .iter()
        .position(|f| f.request_redirect.is_some())
    {
        found.report(
            format!("{path}.filters[{i}]"),
            "RequestRedirect filter must not be used together with backendRefs",
        );
    }
}

fn check_cors(cors: &Cors, path: &str, found: &mut Findings) {
    let methods_wildcard = cors.allow_methods.iter().any(|m| {
        matches!(
            m,
            crate::model::gateway_api::http_route::CorsAllowMethod::Any
        )
    });
    let lists = [
        (
            "allowOrigins",
            cors.allow_origins.iter().any(|o| o == "*"),
            cors.allow_origins.len(),
        ),
        (
            "allowHeaders",
            cors.allow_headers.iter().any(|h| h == "*"),
            cors.allow_headers.len(),
        ),
        ("allowMethods", methods_wildcard, cors.allow_methods.len()),
    ];
    for (field, wildcard, len) in lists {
        if wildcard && len > 1 {
            found.report(
                format!("{path}.{field}"),
                format!("{field} cannot contain '*' alongside other values"),
            );
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
