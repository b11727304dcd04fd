//! The structural rules of the Gateway API's CRDs that the loader reads from
//! meshctl's schema (keyed lists, sets, bounds of each item or map value,
//! integer enums), each run through `validate` on a whole resource.

use crate::validate::test_support::findings;

fn route(rule: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: web, namespace: shop}}\nspec:\n  rules:\n  - {rule}\n"
    )
}

#[test]
fn keyed_list_items_share_no_key() {
    let found = findings(&route(
        "matches: [{queryParams: [{name: page, value: \"1\"}, {name: page, value: \"2\"}]}]",
    ));
    assert!(
        found.contains("items 0 and 1 share the key name=\"page\""),
        "{found}"
    );
    let distinct = findings(&route(
        "matches: [{queryParams: [{name: page, value: \"1\"}, {name: size, value: \"2\"}]}]",
    ));
    assert_eq!(distinct, "");
}

#[test]
fn a_set_holds_each_item_once() {
    let found = findings(&route(
        "filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [x-a, x-a]}}]",
    ));
    assert!(found.contains("items 0 and 1 are equal"), "{found}");
}

#[test]
fn each_item_and_map_value_is_bounded() {
    let hostnames = findings(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec:\n  hostnames: [shop.example, Shop.Example]\n",
    );
    assert!(
        hostnames.contains("item 1 \"Shop.Example\" does not match"),
        "{hostnames}"
    );
    let labels = findings(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge}\nspec:\n  gatewayClassName: example\n  infrastructure:\n    labels: {team: \"-bad-\"}\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n",
    );
    assert!(labels.contains("value of \"team\""), "{labels}");
}

#[test]
fn an_integer_enum_refuses_other_numbers() {
    let found = findings(&route(
        "filters: [{type: RequestRedirect, requestRedirect: {statusCode: 304}}]",
    ));
    assert!(
        found.contains("is 304, not one of 301, 302, 303, 307, 308"),
        "{found}"
    );
}

#[test]
fn the_two_gateway_kinds_are_told_apart_by_group() {
    // An Istio Gateway's fields in a Gateway API Gateway are unknown there,
    // and the reverse.
    let api = findings(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge}\nspec:\n  gatewayClassName: example\n  servers: []\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n",
    );
    assert!(api.contains("unknown field \"servers\""), "{api}");
    let istio = findings(
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: edge}\nspec:\n  listeners: []\n",
    );
    assert!(istio.contains("unknown field \"listeners\""), "{istio}");
}
