//! EnvoyFilter: what Istio can tell of a patch's value without Envoy's
//! full protos: a type URL of Envoy's removed v2 API (refused: istiod no
//! longer knows those types), and a filter named without `typed_config`
//! (warned: Envoy is dropping lookup of extensions by name).

use serde_json::Value;

use super::super::{Findings, webhook_rule};
use super::{KINDS, checked_patches};
use crate::model::istio::{ApplyTo, EnvoyFilterSpec};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "envoyfilter-patch-value",
    KINDS,
    "EnvoyFilter patch value of Envoy's removed v2 API, or a filter without typed_config.",
    "A patch value is Envoy configuration, and istiod builds it into Envoy's v3 types. An \
     `@type` of the v2 API (`type.googleapis.com/envoy.config.filter.http.lua.v2.Lua`) names a \
     type istiod no longer has, so it refuses the EnvoyFilter: use the v3 type \
     (`type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua`). A filter (HTTP, network \
     or listener filter, or a transport socket) given by `name` alone, without `typed_config` \
     or `config_discovery`, relies on Envoy looking extensions up by name, which Envoy is \
     removing: a warning.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua\nspec:\n  priority: 1\n  configPatches:\n  - applyTo: HTTP_FILTER\n    patch:\n      operation: INSERT_FIRST\n      value:\n        name: envoy.lua\n        typed_config:\n          \"@type\": type.googleapis.com/envoy.config.filter.http.lua.v2.Lua\n          inlineCode: \"function envoy_on_request(h) end\"\n",
        fires_at: &["spec.configPatches[0].patch.value"],
    },
);

pub fn check(spec: &EnvoyFilterSpec, found: &mut Findings) {
    for (i, patch) in checked_patches(spec) {
        let Some(value) = patch.patch.as_ref().and_then(|p| p.value.as_ref()) else {
            continue;
        };
        let path = format!("spec.configPatches[{i}].patch.value");
        let mut v2 = Vec::new();
        for field in value.values() {
            v2_types(field, &mut v2);
        }
        if let Some(first) = v2.first() {
            found.report(
                &path,
                format!("Envoy filter: referenced type unknown (hint: try using the v3 XDS API): {first}"),
            );
            continue;
        }
        for name in untyped_filters(patch.apply_to, value) {
            found.warn(
                &path,
                format!("using deprecated types by name without typed_config; {name}"),
            );
        }
    }
}

/// Every `@type` of the v2 API in a value, depth first.
fn v2_types<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                match (key.as_str(), field) {
                    ("@type", Value::String(url)) if url.contains(".v2.") => found.push(url),
                    _ => v2_types(field, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| v2_types(item, found)),
        _ => {}
    }
}

type Fields = serde_json::Map<String, Value>;

/// The names of the filters in the value given without `typed_config`:
/// the patched filter itself (HTTP, network or listener filter), or the
/// transport socket of a cluster or filter chain.
fn untyped_filters(
    apply_to: Option<ApplyTo>,
    value: &std::collections::BTreeMap<String, Value>,
) -> Vec<String> {
    let as_fields: Fields = value.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let filters: Vec<&Fields> = match apply_to {
        Some(ApplyTo::HttpFilter | ApplyTo::NetworkFilter | ApplyTo::ListenerFilter) => {
            vec![&as_fields]
        }
        Some(ApplyTo::Cluster | ApplyTo::FilterChain) => ["transport_socket", "transportSocket"]
            .iter()
            .filter_map(|key| as_fields.get(*key)?.as_object())
            .collect(),
        _ => Vec::new(),
    };
    filters
        .into_iter()
        .filter(|filter| {
            !has_any(
                filter,
                &[
                    "typed_config",
                    "typedConfig",
                    "config_discovery",
                    "configDiscovery",
                ],
            )
        })
        .filter_map(|filter| filter.get("name")?.as_str().map(str::to_string))
        .collect()
}

fn has_any(fields: &Fields, keys: &[&str]) -> bool {
    keys.iter()
        .any(|k| fields.get(*k).is_some_and(|v| !v.is_null()))
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    fn filter(apply_to: &str, value: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: f\nspec:\n  priority: 1\n  configPatches:\n  - applyTo: {apply_to}\n    patch:\n      operation: ADD\n      value: {value}\n"
        )
    }

    #[test]
    fn filters_by_name_alone_are_warned_about() {
        insta::assert_snapshot!(
            [
                filter("HTTP_FILTER", "{name: envoy.filters.http.lua}"),
                filter(
                    "CLUSTER",
                    "{name: c, transport_socket: {name: envoy.transport_sockets.tls}}"
                ),
            ]
            .map(|y| findings(&y))
            .join("\n")
        );
        for quiet in [
            filter(
                "HTTP_FILTER",
                "{name: e, config_discovery: {config_source: {ads: {}}, type_urls: [x]}}",
            ),
            filter("CLUSTER", "{name: c, connect_timeout: 1s}"),
            filter(
                "NETWORK_FILTER",
                "{name: t, typed_config: {\"@type\": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t}}",
            ),
        ] {
            assert_eq!(findings(&quiet), "", "{quiet}");
        }
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
