//! EnvoyFilter: the filter and sub-filter a listener-class patch matches.

use super::super::{Findings, webhook_rule};
use super::{KINDS, checked_patches};
use crate::model::istio::{ApplyTo, EnvoyFilterSpec, FilterMatch};
use crate::report::{Example, Rule};

pub static RULE: Rule = webhook_rule(
    "envoyfilter-listener-match",
    KINDS,
    "EnvoyFilter filter match that Istio refuses or that has no effect.",
    "A listener match's `filterChain.filter` must name the network filter it matches. A \
     `subFilter` (an HTTP filter) can only be matched by an HTTP_FILTER patch, inside \
     `envoy.filters.network.http_connection_manager`, and must have a name too. A filter match \
     on a LISTENER or FILTER_CHAIN patch has no effect and is warned about, and so is a \
     filter or sub-filter matched by a deprecated name (`envoy.router`, `envoy.lua`, ...) \
     rather than its canonical one (`envoy.filters.http.router`).",
    Example {
        yaml: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua\nspec:\n  configPatches:\n  - applyTo: NETWORK_FILTER\n    match:\n      listener:\n        filterChain:\n          filter:\n            name: envoy.filters.network.http_connection_manager\n            subFilter: {name: envoy.filters.http.router}\n    patch:\n      operation: REMOVE\n",
        fires_at: &["spec.configPatches[0].match.listener.filterChain.filter.subFilter"],
    },
);

const HTTP_CONNECTION_MANAGER: [&str; 2] = [
    "envoy.filters.network.http_connection_manager",
    "envoy.http_connection_manager",
];

pub fn check(spec: &EnvoyFilterSpec, found: &mut Findings) {
    for (i, patch) in checked_patches(spec) {
        let filter = patch
            .r#match
            .as_ref()
            .and_then(|m| m.listener.as_ref()?.filter_chain.as_ref()?.filter.as_ref());
        let (Some(apply_to), Some(filter)) = (patch.apply_to, filter) else {
            continue;
        };
        let path = format!("spec.configPatches[{i}].match.listener.filterChain.filter");
        if matches!(apply_to, ApplyTo::Listener | ApplyTo::FilterChain) {
            found.warn(
                &path,
                format!(
                    "Envoy filter: filter match has no effect when used with {}",
                    name_of(apply_to)
                ),
            );
        }
        check_filter(apply_to, filter, &path, found);
    }
}

fn check_filter(apply_to: ApplyTo, filter: &FilterMatch, path: &str, found: &mut Findings) {
    let name = filter.name.as_deref().unwrap_or_default();
    if name.is_empty() {
        return found.report(path, "Envoy filter: filter match has no name to match on");
    }
    let Some(sub_filter) = &filter.sub_filter else {
        return warn_deprecated(name, NETWORK, path, found);
    };
    let at = format!("{path}.subFilter");
    let problem = if apply_to != ApplyTo::HttpFilter {
        "Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only".to_string()
    } else if !HTTP_CONNECTION_MANAGER.contains(&name) {
        format!(
            "Envoy filter: subfilter match requires filter match with {}",
            HTTP_CONNECTION_MANAGER[0]
        )
    } else if sub_filter.name.as_deref().unwrap_or_default().is_empty() {
        "Envoy filter: subfilter match has no name to match on".to_string()
    } else {
        warn_deprecated(name, NETWORK, path, found);
        let sub_name = sub_filter.name.as_deref().unwrap_or_default();
        return warn_deprecated(sub_name, HTTP, &at, found);
    };
    found.report(at, problem);
}

/// Whether a name is matched among network and listener filters or among
/// HTTP filters: `envoy.ext_authz` was the name of both.
const NETWORK: bool = false;
const HTTP: bool = true;

/// Envoy's old filter names, with the canonical ones istiod generates
/// (Istio's `xds.DeprecatedFilterNames`); `envoy.ext_authz` stands for the
/// HTTP or the network filter, as the match says.
const DEPRECATED_FILTER_NAMES: &[(&str, &str)] = &[
    ("envoy.buffer", "envoy.filters.http.buffer"),
    (
        "envoy.client_ssl_auth",
        "envoy.filters.network.client_ssl_auth",
    ),
    ("envoy.cors", "envoy.filters.http.cors"),
    ("envoy.csrf", "envoy.filters.http.csrf"),
    ("envoy.fault", "envoy.filters.http.fault"),
    (
        "envoy.grpc_http1_bridge",
        "envoy.filters.http.grpc_http1_bridge",
    ),
    (
        "envoy.grpc_json_transcoder",
        "envoy.filters.http.grpc_json_transcoder",
    ),
    ("envoy.grpc_web", "envoy.filters.http.grpc_web"),
    ("envoy.gzip", "envoy.filters.http.gzip"),
    ("envoy.health_check", "envoy.filters.http.health_check"),
    (
        "envoy.http_connection_manager",
        "envoy.filters.network.http_connection_manager",
    ),
    ("envoy.http_dynamo_filter", "envoy.filters.http.dynamo"),
    ("envoy.ip_tagging", "envoy.filters.http.ip_tagging"),
    (
        "envoy.listener.http_inspector",
        "envoy.filters.listener.http_inspector",
    ),
    (
        "envoy.listener.original_dst",
        "envoy.filters.listener.original_dst",
    ),
    (
        "envoy.listener.original_src",
        "envoy.filters.listener.original_src",
    ),
    (
        "envoy.listener.proxy_protocol",
        "envoy.filters.listener.proxy_protocol",
    ),
    (
        "envoy.listener.tls_inspector",
        "envoy.filters.listener.tls_inspector",
    ),
    ("envoy.lua", "envoy.filters.http.lua"),
    ("envoy.mongo_proxy", "envoy.filters.network.mongo_proxy"),
    ("envoy.rate_limit", "envoy.filters.http.ratelimit"),
    ("envoy.ratelimit", "envoy.filters.network.ratelimit"),
    ("envoy.redis_proxy", "envoy.filters.network.redis_proxy"),
    ("envoy.router", "envoy.filters.http.router"),
    ("envoy.squash", "envoy.filters.http.squash"),
    ("envoy.tcp_proxy", "envoy.filters.network.tcp_proxy"),
];

fn warn_deprecated(name: &str, http: bool, path: &str, found: &mut Findings) {
    let canonical = match name {
        "envoy.ext_authz" if http => Some("envoy.filters.http.ext_authz"),
        "envoy.ext_authz" => Some("envoy.filters.network.ext_authz"),
        _ => DEPRECATED_FILTER_NAMES
            .iter()
            .find(|(old, _)| *old == name)
            .map(|(_, new)| *new),
    };
    if let Some(canonical) = canonical {
        found.warn(
            path,
            format!("using deprecated filter name {name:?}; use {canonical:?} instead"),
        );
    }
}

fn name_of(apply_to: ApplyTo) -> &'static str {
    if apply_to == ApplyTo::Listener {
        "LISTENER"
    } else {
        "FILTER_CHAIN"
    }
}

#[cfg(test)]
mod cases {
    use crate::validate::test_support::findings;

    #[test]
    fn deprecated_filter_names_are_warned_about() {
        let yaml = "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: f\nspec:\n  priority: 1\n  configPatches:\n  - applyTo: HTTP_FILTER\n    match:\n      listener:\n        filterChain:\n          filter:\n            name: envoy.http_connection_manager\n            subFilter: {name: envoy.ext_authz}\n    patch:\n      operation: REMOVE\n";
        insta::assert_snapshot!(findings(yaml));
    }
}

#[cfg(test)]
crate::validate::test_support::rule_tests!(RULE);
