//! Istio's own validation table for EnvoyFilter
//! (pkg/config/validation/envoyfilter/envoyfilter_test.go), replayed as
//! YAML, every case of it, with its verdict: an expected error is Invalid,
//! an expected warning Warn, neither Clean.

use crate::validate::test_support::{Verdict, assert_verdicts};
use Verdict::*;

const HCM: &str = "envoy.filters.network.http_connection_manager";
const EXT_AUTHZ: &str =
    "{\"@type\": type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz}";

#[test]
fn istio_table() {
    let long_version = "1".repeat(1025);
    let cases = [
        ("empty filters", "{}".to_string(), Clean),
        (
            "labels not defined in workload selector",
            "{workloadSelector: {}}".into(),
            Warn,
        ),
        (
            "invalid applyTo",
            "{configPatches: [{applyTo: INVALID}]}".into(),
            Invalid,
        ),
        ("nil patch", "{configPatches: [{applyTo: LISTENER}]}".into(), Invalid),
        (
            "invalid patch operation",
            "{configPatches: [{applyTo: LISTENER, patch: {}}]}".into(),
            Invalid,
        ),
        (
            "nil patch value",
            "{configPatches: [{applyTo: LISTENER, patch: {operation: ADD}}]}".into(),
            Invalid,
        ),
        (
            "match with invalid regex",
            "{configPatches: [{applyTo: LISTENER, match: {proxy: {proxyVersion: \"%#@~++==`24c234`\"}}, patch: {operation: REMOVE}}]}".into(),
            Invalid,
        ),
        (
            "match with valid regex",
            "{configPatches: [{applyTo: LISTENER, match: {proxy: {proxyVersion: \"release-1.2-23434\"}}, patch: {operation: REMOVE}}]}".into(),
            Clean,
        ),
        (
            "match with proxy version regex too long",
            format!("{{configPatches: [{{applyTo: LISTENER, match: {{proxy: {{proxyVersion: \"{long_version}\"}}}}, patch: {{operation: REMOVE}}}}]}}"),
            Warn,
        ),
        (
            "listener with invalid match",
            "{configPatches: [{applyTo: LISTENER, match: {cluster: {service: svc1.ns1.svc.cluster.local}}, patch: {operation: REMOVE}}]}".into(),
            Invalid,
        ),
        (
            "listener with invalid filter match",
            "{configPatches: [{applyTo: NETWORK_FILTER, match: {listener: {filterChain: {sni: \"*.foo.com\", filter: {name: \"\"}}}}, patch: {operation: REMOVE}}]}".into(),
            Invalid,
        ),
        (
            "listener with sub filter match and invalid applyTo",
            format!("{{configPatches: [{{applyTo: NETWORK_FILTER, match: {{listener: {{filterChain: {{filter: {{name: {HCM}, subFilter: {{name: random}}}}}}}}}}, patch: {{operation: REMOVE}}}}]}}"),
            Invalid,
        ),
        (
            "listener with sub filter match and invalid filter name",
            "{configPatches: [{applyTo: HTTP_FILTER, match: {listener: {filterChain: {filter: {name: random, subFilter: {name: random}}}}}, patch: {operation: REMOVE}}]}".into(),
            Invalid,
        ),
        (
            "listener with sub filter match and no sub filter name",
            format!("{{configPatches: [{{applyTo: HTTP_FILTER, match: {{listener: {{filterChain: {{filter: {{name: {HCM}, subFilter: {{}}}}}}}}}}, patch: {{operation: REMOVE}}}}]}}"),
            Invalid,
        ),
        (
            "route configuration with invalid match",
            "{configPatches: [{applyTo: VIRTUAL_HOST, match: {cluster: {service: svc1.ns1.svc.cluster.local}}, patch: {operation: REMOVE}}]}".into(),
            Invalid,
        ),
        (
            "cluster with invalid match",
            "{configPatches: [{applyTo: CLUSTER, match: {listener: {name: random}}, patch: {operation: REMOVE}}]}".into(),
            Invalid,
        ),
        (
            "happy config",
            format!("{{configPatches: [{{applyTo: CLUSTER, match: {{cluster: {{service: svc1.ns1.svc.cluster.local}}}}, patch: {{operation: MERGE, value: {{connect_timeout: 5s}}}}}}, {{applyTo: HTTP_FILTER, match: {{listener: {{filterChain: {{filter: {{name: {HCM}, subFilter: {{name: envoy.filters.http.router}}}}}}}}}}, patch: {{operation: INSERT_BEFORE, value: {{name: envoy.filters.http.lua}}}}}}]}}"),
            Valid,
        ),
        (
            "invalid patch value",
            "{configPatches: [{applyTo: CLUSTER, match: {cluster: {}}, patch: {operation: ADD, value: {name: false}}}]}".into(),
            Invalid,
        ),
        (
            "happy config (Istio's)",
            format!("{{configPatches: [{{applyTo: CLUSTER, match: {{cluster: {{}}}}, patch: {{operation: ADD, value: {{lb_policy: RING_HASH}}}}}}, {{applyTo: NETWORK_FILTER, match: {{listener: {{filterChain: {{name: envoy.tcp_proxy}}}}}}, patch: {{operation: INSERT_BEFORE, value: {{typed_config: {EXT_AUTHZ}}}}}}}, {{applyTo: NETWORK_FILTER, match: {{listener: {{filterChain: {{name: envoy.tcp_proxy}}}}}}, patch: {{operation: INSERT_FIRST, value: {{typed_config: {EXT_AUTHZ}}}}}}}]}}"),
            Clean,
        ),
        (
            "deprecated config",
            "{configPatches: [{applyTo: NETWORK_FILTER, match: {listener: {filterChain: {name: envoy.tcp_proxy}}}, patch: {operation: INSERT_FIRST, value: {typed_config: {\"@type\": type.googleapis.com/envoy.config.filter.network.ext_authz.v2.ExtAuthz}}}}]}".into(),
            Invalid,
        ),
        (
            "deprecated type",
            "{configPatches: [{applyTo: HTTP_FILTER, match: {listener: {filterChain: {filter: {name: envoy.http_connection_manager}}}}, patch: {operation: INSERT_FIRST, value: {}}}]}".into(),
            Warn,
        ),
        (
            "duration marshal",
            "{configPatches: [{applyTo: CLUSTER, patch: {operation: ADD, value: {dns_refresh_rate: 500ms}}}]}".into(),
            Clean,
        ),
        // Beyond the table: Istio does not check waypoint patches yet.
        (
            "waypoint patch",
            "{configPatches: [{applyTo: CLUSTER, match: {context: WAYPOINT}}]}".into(),
            Clean,
        ),
    ];
    assert_verdicts(cases.into_iter().map(|(name, spec, verdict)| {
        let yaml = format!(
            "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {{name: case, namespace: default}}\nspec: {spec}\n"
        );
        (name, yaml, verdict)
    }));
}
