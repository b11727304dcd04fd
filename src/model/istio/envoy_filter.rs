//! The `EnvoyFilter` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `EnvoyFilter` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvoyFilterSpec {
    /// Patches applied to the generated Envoy configuration, in order: what to patch, where,
    /// and how.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_patches: Vec<EnvoyConfigObjectPatch>,
    /// Order among EnvoyFilters of the same context: lower values first (default 0, negative
    /// allowed); then by creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// Resources (a Gateway API Gateway or GatewayClass, or a Service for waypoints) the filter
    /// applies to, instead of a selector.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub target_refs: Vec<PolicyTargetReference>,
    /// Workloads the filter applies to, by label; every workload of the namespace when unset
    /// (the whole mesh in the root namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload_selector: Option<EnvoyFilterWorkloadSelector>,
}

/// `EnvoyFilter.workloadSelector` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvoyFilterWorkloadSelector {
    /// Labels a workload must carry (all of them); no wildcards.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(extend("maxProperties" = 256))]
    pub labels: StringMap,
}

/// `EnvoyFilter.configPatches[]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvoyConfigObjectPatch {
    /// Kind of Envoy object patched: `LISTENER`, `FILTER_CHAIN`, `NETWORK_FILTER`,
    /// `HTTP_FILTER`, `ROUTE_CONFIGURATION`, `VIRTUAL_HOST`, `HTTP_ROUTE`, `CLUSTER`,
    /// `EXTENSION_CONFIG`, `BOOTSTRAP`, `LISTENER_FILTER` and the waypoint ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apply_to: Option<ApplyTo>,
    /// Which objects of that kind are patched; all of them when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#match: Option<EnvoyConfigObjectMatch>,
    /// The change: an operation and, for most operations, a value (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<Patch>,
}

/// `EnvoyFilter.configPatches[].patch` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Patch {
    /// For `ADD` of an HTTP or network filter: the stage it is inserted at (`AUTHN`, `AUTHZ` or
    /// `STATS`), instead of a position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_class: Option<FilterClass>,
    /// `MERGE`, `ADD`, `REMOVE`, `INSERT_BEFORE`, `INSERT_AFTER`, `INSERT_FIRST` or `REPLACE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<PatchOperation>,
    /// Envoy configuration to merge, add or insert, in Envoy's JSON/YAML form (typed config
    /// with `@type`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<BTreeMap<String, serde_json::Value>>,
}

/// `EnvoyFilter.configPatches[].match` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["listener"]}, {"required": ["routeConfiguration"]}, {"required": ["cluster"]}, {"required": ["waypoint"]}]}}, {"required": ["listener"]}, {"required": ["routeConfiguration"]}, {"required": ["cluster"]}, {"required": ["waypoint"]}]))]
pub struct EnvoyConfigObjectMatch {
    /// Selects clusters by name, service, subset or port; for `CLUSTER` patches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterMatch>,
    /// Which proxies' configuration to patch: `ANY` (the default), `SIDECAR_INBOUND`,
    /// `SIDECAR_OUTBOUND`, `GATEWAY` or `WAYPOINT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<PatchContext>,
    /// Selects listeners and, below them, filter chains and filters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener: Option<ListenerMatch>,
    /// Selects proxies by version or node metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyMatch>,
    /// Selects route configurations, virtual hosts and routes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_configuration: Option<RouteConfigurationMatch>,
    /// Selects waypoint proxy objects (filters, routes, ports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waypoint: Option<WaypointMatch>,
}

/// `EnvoyFilter.configPatches[].match.waypoint` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaypointMatch {
    /// The waypoint filter to match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<WaypointFilterMatch>,
    /// Service port the waypoint configuration belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_number: Option<u32>,
    /// The waypoint route to match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<WaypointRouteMatch>,
}

/// `EnvoyFilter.configPatches[].match.waypoint.route` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaypointRouteMatch {
    /// Name of the route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `EnvoyFilter.configPatches[].match.waypoint.filter` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaypointFilterMatch {
    /// Name of the filter, e.g. `envoy.filters.http.router`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A filter inside that filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_filter: Option<WaypointSubFilterMatch>,
}

/// `EnvoyFilter.configPatches[].match.waypoint.filter.subFilter` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaypointSubFilterMatch {
    /// Name of the inner filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `EnvoyFilter.configPatches[].match.routeConfiguration` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteConfigurationMatch {
    /// Istio Gateway (`namespace/name`) whose route configuration is patched; gateways only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// Name of the route configuration, as Istio generates it (e.g. `http.8080`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Name of the port the route configuration serves; gateways only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_name: Option<String>,
    /// Port the route configuration serves (the service port for sidecars).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_number: Option<u32>,
    /// The virtual host inside the route configuration to match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vhost: Option<VirtualHostMatch>,
}

/// `EnvoyFilter.configPatches[].match.routeConfiguration.vhost` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VirtualHostMatch {
    /// A domain the virtual host serves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// Name of the virtual host, e.g. `reviews.default.svc.cluster.local:80`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The route inside the virtual host to match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteConfigRouteMatch>,
}

/// `EnvoyFilter.configPatches[].match.routeConfiguration.vhost.route` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteConfigRouteMatch {
    /// Action of the route: `ANY` (the default), `ROUTE`, `REDIRECT` or `DIRECT_RESPONSE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<RouteAction>,
    /// Name of the route, as given in the VirtualService's HTTP rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `EnvoyFilter.configPatches[].match.proxy` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyMatch {
    /// Node metadata the proxy must have, by key and exact value.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub metadata: StringMap,
    /// Regular expression (RE2) the proxy's Istio version must match, e.g. `^1\.2[0-9].*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_version: Option<String>,
}

/// `EnvoyFilter.configPatches[].match.listener` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListenerMatch {
    /// The filter chain of the listener to match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_chain: Option<FilterChainMatch>,
    /// Name of a listener filter to match, e.g. `envoy.filters.listener.tls_inspector`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener_filter: Option<String>,
    /// Name of the listener, as Istio generates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Name of the port; reserved, not implemented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_name: Option<String>,
    /// Port the listener serves (the service port for outbound, the workload port for inbound).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_number: Option<u32>,
}

/// `EnvoyFilter.configPatches[].match.listener.filterChain` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterChainMatch {
    /// ALPN values of the filter chain, comma-separated (e.g. `h2,http/1.1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_protocols: Option<String>,
    /// Destination port of the filter chain, for virtual inbound and outbound listeners.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_port: Option<u32>,
    /// A network filter of the chain, e.g. `envoy.filters.network.http_connection_manager`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterMatch>,
    /// Name of the filter chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// SNI of the filter chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    /// `raw_buffer` (plain text) or `tls`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_protocol: Option<String>,
    /// Transport socket name of the chain, e.g. `envoy.transport_sockets.tls`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_socket: Option<String>,
}

/// `EnvoyFilter.configPatches[].match.listener.filterChain.filter` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterMatch {
    /// Name of the network filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A filter inside that filter (an HTTP filter of the HTTP connection manager).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_filter: Option<SubFilterMatch>,
}

/// `EnvoyFilter.configPatches[].match.listener.filterChain.filter.subFilter` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubFilterMatch {
    /// Name of the inner filter, e.g. `envoy.filters.http.router`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `EnvoyFilter.configPatches[].match.cluster` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterMatch {
    /// Full name of the cluster, e.g. `outbound|80|v1|reviews.default.svc.cluster.local`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Service port of the cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_number: Option<u32>,
    /// Fully qualified service name of the cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Subset of the cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subset: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ApplyTo {
    #[serde(rename = "INVALID")]
    Invalid,
    #[serde(rename = "LISTENER")]
    Listener,
    #[serde(rename = "FILTER_CHAIN")]
    FilterChain,
    #[serde(rename = "NETWORK_FILTER")]
    NetworkFilter,
    #[serde(rename = "HTTP_FILTER")]
    HttpFilter,
    #[serde(rename = "ROUTE_CONFIGURATION")]
    RouteConfiguration,
    #[serde(rename = "VIRTUAL_HOST")]
    VirtualHost,
    #[serde(rename = "HTTP_ROUTE")]
    HttpRoute,
    #[serde(rename = "CLUSTER")]
    Cluster,
    #[serde(rename = "EXTENSION_CONFIG")]
    ExtensionConfig,
    #[serde(rename = "BOOTSTRAP")]
    Bootstrap,
    #[serde(rename = "LISTENER_FILTER")]
    ListenerFilter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum PatchContext {
    #[serde(rename = "ANY")]
    Any,
    #[serde(rename = "SIDECAR_INBOUND")]
    SidecarInbound,
    #[serde(rename = "SIDECAR_OUTBOUND")]
    SidecarOutbound,
    #[serde(rename = "GATEWAY")]
    Gateway,
    #[serde(rename = "WAYPOINT")]
    Waypoint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum RouteAction {
    #[serde(rename = "ANY")]
    Any,
    #[serde(rename = "ROUTE")]
    Route,
    #[serde(rename = "REDIRECT")]
    Redirect,
    #[serde(rename = "DIRECT_RESPONSE")]
    DirectResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum FilterClass {
    #[serde(rename = "UNSPECIFIED")]
    Unspecified,
    #[serde(rename = "AUTHN")]
    Authn,
    #[serde(rename = "AUTHZ")]
    Authz,
    #[serde(rename = "STATS")]
    Stats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum PatchOperation {
    #[serde(rename = "INVALID")]
    Invalid,
    #[serde(rename = "MERGE")]
    Merge,
    #[serde(rename = "ADD")]
    Add,
    #[serde(rename = "REMOVE")]
    Remove,
    #[serde(rename = "INSERT_BEFORE")]
    InsertBefore,
    #[serde(rename = "INSERT_AFTER")]
    InsertAfter,
    #[serde(rename = "INSERT_FIRST")]
    InsertFirst,
    #[serde(rename = "REPLACE")]
    Replace,
    #[serde(rename = "MERGE_AND_REPLACE_LIST")]
    MergeAndReplaceList,
}
