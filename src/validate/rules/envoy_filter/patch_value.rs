//! EnvoyFilter: each patch's value read into the Envoy type its `applyTo`
//! names, as istiod reads it (see `envoy_api::reader` for the rules), with
//! Envoy's v3 API as of the go-control-plane commit Istio pins (the table's
//! header names it).

use super::super::{Findings, webhook_rule};
use super::envoy_api::reader::{self, Reading};
use super::envoy_api::table::ENVOY_API;
use super::{KINDS, checked_patches};
use crate::model::istio::{ApplyTo, EnvoyFilterSpec, PatchOperation};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "envoyfilter-patch-value",
    KINDS,
    "EnvoyFilter patch value that does not fit the Envoy type its applyTo names.",
    "A patch value is Envoy configuration: istiod reads it into the Envoy v3 type `applyTo` \
     names (CLUSTER: `envoy.config.cluster.v3.Cluster`, LISTENER: `Listener`, FILTER_CHAIN: \
     `FilterChain`, NETWORK_FILTER: `Filter`, LISTENER_FILTER: `ListenerFilter`, HTTP_FILTER: \
     the HTTP connection manager's `HttpFilter`, ROUTE_CONFIGURATION, VIRTUAL_HOST, HTTP_ROUTE: \
     `Route`, EXTENSION_CONFIG: `TypedExtensionConfig`, BOOTSTRAP), and every `@type` into \
     the type it names, with protobuf's JSON rules as its legacy Go reader applies them: a \
     field by its proto or JSON name, a duration as a string (`5s`, not `5`), an enum by name \
     or number, a wrapper (`UInt32Value`) as a bare value, an int64 as a number or a string, \
     bytes in base64. A value of the wrong type, a bad enum name or duration, or an `@type` \
     naming a type Envoy's v3 API does not have (such as one of the removed v2 API: use \
     `envoy.extensions.filters.http.lua.v3.Lua`, not `envoy.config.filter.http.lua.v2.Lua`) \
     makes istiod refuse the EnvoyFilter. A field the type does not have is a warning (istiod \
     reads leniently, so that newer Envoy fields pass), as are, once the value reads \
     cleanly, an `@type` of a FROZEN package and a filter (HTTP, network or listener filter, \
     transport socket, ...) given by `name` alone, without `typed_config` or \
     `config_discovery`, which relies on Envoy looking extensions up by name. meshctl knows \
     Envoy's v3 API of the go-control-plane commit Istio pins (Envoy \
     3bd01c3ed020bfd25534a931f39abe305e6566e6), cncf/xds and Istio's own filters; an `@type` \
     of another project's package (Istio's mesh types, Google's, OpenTelemetry's) is not \
     judged.",
    Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua\nspec:\n  configPatches:\n  - applyTo: CLUSTER\n    patch:\n      operation: MERGE\n      value:\n        connect_timeout: 5\n  - applyTo: HTTP_FILTER\n    patch:\n      operation: INSERT_FIRST\n      value:\n        name: envoy.lua\n        typed_config:\n          \"@type\": type.googleapis.com/envoy.config.filter.http.lua.v2.Lua\n          inlineCode: \"function envoy_on_request(h) end\"\n",
        fires_at: &[
            "spec.configPatches[0].patch.value.connect_timeout",
            "spec.configPatches[1].patch.value.typed_config.@type",
        ],
    },
);

pub fn check(spec: &EnvoyFilterSpec, found: &mut Findings) {
    for (i, patch) in checked_patches(spec) {
        // istiod reads no value of a patch without an operation.
        let Some(body) = &patch.patch else { continue };
        if matches!(body.operation, None | Some(PatchOperation::Invalid)) {
            continue;
        }
        let (Some(value), Some(root)) = (&body.value, patch.apply_to.and_then(root_type)) else {
            continue;
        };
        let table = &*ENVOY_API;
        let root = table
            .message_named(root)
            .expect("the table has every applyTo's type");
        let path = format!("spec.configPatches[{i}].patch.value");
        report(reader::read(table, root, value, &path), found);
    }
}

/// The Envoy type istiod reads a patch value into
/// (`BuildXDSObjectFromStruct`).
fn root_type(apply_to: ApplyTo) -> Option<&'static str> {
    Some(match apply_to {
        ApplyTo::Cluster => "envoy.config.cluster.v3.Cluster",
        ApplyTo::Listener => "envoy.config.listener.v3.Listener",
        ApplyTo::RouteConfiguration => "envoy.config.route.v3.RouteConfiguration",
        ApplyTo::FilterChain => "envoy.config.listener.v3.FilterChain",
        ApplyTo::HttpFilter => {
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter"
        }
        ApplyTo::NetworkFilter => "envoy.config.listener.v3.Filter",
        ApplyTo::VirtualHost => "envoy.config.route.v3.VirtualHost",
        ApplyTo::HttpRoute => "envoy.config.route.v3.Route",
        ApplyTo::ExtensionConfig => "envoy.config.core.v3.TypedExtensionConfig",
        ApplyTo::Bootstrap => "envoy.config.bootstrap.v3.Bootstrap",
        ApplyTo::ListenerFilter => "envoy.config.listener.v3.ListenerFilter",
        ApplyTo::Invalid => return None,
    })
}

/// istiod's order: an error of the lenient read stops there; unknown
/// fields (its strict read) are warned of and stop there; only a value
/// read strictly is looked at for deprecated types.
fn report(reading: Reading, found: &mut Findings) {
    if !reading.errors.is_empty() {
        for error in reading.errors {
            found.report(error.path, error.message);
        }
        return;
    }
    let warnings = if reading.unknown_fields.is_empty() {
        reading.deprecated
    } else {
        reading.unknown_fields
    };
    for warning in warnings {
        found.warn(warning.path, warning.message);
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    fn filter(apply_to: &str, value: &str) -> String {
        format!(
            "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: f\nspec:\n  configPatches:\n  - applyTo: {apply_to}\n    patch:\n      operation: ADD\n      value: {value}\n"
        )
    }

    fn all(cases: &[(&str, &str)]) -> String {
        cases
            .iter()
            .map(|(apply_to, value)| {
                format!("{apply_to} {value}\n{}", findings(&filter(apply_to, value)))
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn filters_by_name_alone_are_warned_about() {
        insta::assert_snapshot!(all(&[
            ("HTTP_FILTER", "{name: envoy.filters.http.lua}"),
            (
                "CLUSTER",
                "{name: c, transport_socket: {name: envoy.transport_sockets.tls}}"
            ),
            ("HTTP_FILTER", "{}"),
        ]));
        for quiet in [
            filter(
                "HTTP_FILTER",
                "{name: e, config_discovery: {config_source: {ads: {}}, type_urls: [x]}}",
            ),
            filter("CLUSTER", "{name: c, connect_timeout: 1s}"),
            filter(
                "NETWORK_FILTER",
                "{name: t, typed_config: {\"@type\": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: c}}",
            ),
            // Reached only through a list: istiod's look stops there.
            filter(
                "LISTENER",
                "{name: l, filter_chains: [{filters: [{name: envoy.tcp_proxy}]}]}",
            ),
        ] {
            assert_eq!(findings(&quiet), "", "{quiet}");
        }
    }

    #[test]
    fn values_of_the_wrong_type_are_errors_at_their_field() {
        insta::assert_snapshot!(all(&[
            (
                "CLUSTER",
                "{connect_timeout: 5, lb_policy: RING_HASHY, per_connection_buffer_limit_bytes: {value: 1}}"
            ),
            (
                "CLUSTER",
                "{name: 7, circuit_breakers: {thresholds: {max_connections: 1}}}"
            ),
            (
                "LISTENER",
                "{address: {socket_address: {port_value: -1, address: 0.0.0.0}}}"
            ),
            (
                "HTTP_ROUTE",
                "{match: {prefix: /}, route: {timeout: 1x, cluster: c}}"
            ),
            (
                "HTTP_FILTER",
                "{name: lua, typed_config: {\"@type\": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua, default_source_code: {inline_string: 5}}}"
            ),
            ("HTTP_FILTER", "{name: x, typed_config: {typeUrl: nothing}}"),
            (
                "EXTENSION_CONFIG",
                "{name: x, typed_config: {\"@type\": type.googleapis.com/envoy.extensions.filters.http.nothing.v3.Nothing}}"
            ),
            ("VIRTUAL_HOST", "{name: v, domains: \"*\"}"),
        ]));
    }

    #[test]
    fn jsonpb_reads_what_protojson_would_refuse_or_differently() {
        for quiet in [
            // Proto and JSON names alike; both given, the JSON name's value is read.
            filter(
                "CLUSTER",
                "{name: c, connectTimeout: 1s, lbPolicy: 2, dns_refresh_rate: 500ms}",
            ),
            filter(
                "CLUSTER",
                "{name: c, connect_timeout: 5, connectTimeout: 5s}",
            ),
            // Numbers in strings, int64 as either, null anywhere.
            filter(
                "CLUSTER",
                "{name: c, per_connection_buffer_limit_bytes: \"1024\", max_requests_per_connection: ~}",
            ),
            // Go's durations: minutes, hours, negative.
            filter(
                "HTTP_ROUTE",
                "{match: {prefix: /}, route: {cluster: c, timeout: 1m30s, idle_timeout: -1s}}",
            ),
            // Two members of one oneof: the last is kept, no error.
            filter(
                "HTTP_ROUTE",
                "{match: {prefix: /, path: /x}, route: {cluster: c}}",
            ),
            // An Any of a well-known type carries it under value; TypedStruct's value is a Struct.
            filter(
                "HTTP_FILTER",
                "{name: w, typed_config: {\"@type\": type.googleapis.com/udpa.type.v1.TypedStruct, type_url: x, value: {anything: [1, {a: b}]}}}",
            ),
            filter(
                "VIRTUAL_HOST",
                "{name: v, domains: [\"*\"], typed_per_filter_config: {envoy.filters.http.lua: {\"@type\": type.googleapis.com/google.protobuf.Struct, value: {a: 1}}}}",
            ),
            // A type of a package the table does not speak for.
            filter(
                "HTTP_FILTER",
                "{name: i, typed_config: {\"@type\": type.googleapis.com/istio.mesh.v1alpha1.Unknown}}",
            ),
        ] {
            assert_eq!(findings(&quiet), "", "{quiet}");
        }
    }

    #[test]
    fn unknown_fields_are_warnings_unless_an_error_stops_the_read() {
        insta::assert_snapshot!(all(&[
            (
                "CLUSTER",
                "{name: c, connect_timeoutz: 1s, typed_extension_protocol_options: {envoy.extensions.upstreams.http.v3.HttpProtocolOptions: {\"@type\": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, explicit_http_config: {http2_protocol_options: {}}, bogus: 1}}}"
            ),
            (
                "CLUSTER",
                "{name: c, connect_timeoutz: 1s, connect_timeout: 5}"
            ),
            // An unknown field hides the warning for a filter given by name alone.
            ("HTTP_FILTER", "{name: envoy.filters.http.lua, configz: {}}"),
        ]));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
