//! The `DestinationRule` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `DestinationRule` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DestinationRuleSpec {
    /// Namespaces this DestinationRule is visible to: `.` for its own namespace, `*` for all
    /// (the default when empty), or namespace names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub export_to: Vec<String>,
    /// Service the rule applies to, as found in the service registry (Kubernetes Service or
    /// ServiceEntry host, wildcards allowed); short names are resolved in the rule's namespace,
    /// so prefer full names. Required.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub host: Option<String>,
    /// Named groups of the service's endpoints, selected by labels, that routes can target
    /// (e.g. versions); each may override the traffic policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subsets: Vec<Subset>,
    /// Load balancing, connection pool, outlier detection and TLS settings for calls to this
    /// host.
    // Boxed, as in `Subset`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_policy: Option<Box<TrafficPolicy>>,
    /// Limits the rule to the client workloads with these labels; only for rules in a non-root
    /// namespace without `exportTo` beyond it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload_selector: Option<WorkloadSelector>,
}

/// `DestinationRule.subsets[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subset {
    /// Labels an endpoint must have to be in this subset, matched against the service's pods or
    /// WorkloadEntries.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub labels: StringMap,
    /// Name of the subset, referred to by routes as `destination.subset` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub name: Option<String>,
    /// Traffic policy for this subset, replacing the rule-level one field by field (port-level
    /// settings are not merged).
    // Boxed: most subsets have none, and a policy is larger than the rest
    // of a DestinationRule (every rule of a run is kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_policy: Option<Box<TrafficPolicy>>,
}

/// `DestinationRule.subsets[*].trafficPolicy` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficPolicy {
    /// Limits on connections and requests to each host of the service (circuit breaking).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_pool: Option<ConnectionPoolSettings>,
    /// How requests are spread over the service's endpoints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<Box<LoadBalancerSettings>>,
    /// Ejects endpoints that keep failing from the load-balancing pool for a while.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlier_detection: Option<OutlierDetection>,
    /// Policies for single ports of the service, overriding the ones above for that port; at
    /// most one entry per port.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 4096))]
    pub port_level_settings: Vec<PortTrafficPolicy>,
    /// Sends a PROXY protocol header on upstream connections, carrying the original client's
    /// addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_protocol: Option<Box<ProxyProtocol>>,
    /// Caps concurrent retries as a share of active requests, in place of a fixed `maxRetries`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_budget: Option<Box<RetryBudget>>,
    /// TLS settings for connections to the service (origination from the client side).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ClientTlsSettings>,
    /// Tunnels TCP connections to this host through an HTTP CONNECT or POST proxy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tunnel: Option<Box<TunnelSettings>>,
}

/// `DestinationRule.subsets[*].trafficPolicy.connectionPool` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionPoolSettings {
    /// Limits that apply to HTTP/1.1, HTTP/2 and gRPC traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpSettings>,
    /// Limits that apply to every connection, HTTP or TCP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpSettings>,
}

/// `DestinationRule.subsets[*].trafficPolicy.connectionPool.http` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpSettings {
    /// Whether HTTP/1.1 connections to the destination are upgraded to HTTP/2: `DEFAULT` (the
    /// mesh-wide setting), `DO_NOT_UPGRADE` or `UPGRADE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h2_upgrade_policy: Option<H2UpgradePolicy>,
    /// Maximum number of requests queued while waiting for a connection; defaults to unlimited
    /// (2^32-1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http1_max_pending_requests: Option<i32>,
    /// Sends HTTP/2 PING frames on idle upstream connections to detect dead peers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http2_keep_alive: Option<Http2KeepAlive>,
    /// Maximum number of active requests to the destination at once; defaults to unlimited
    /// (2^32-1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http2_max_requests: Option<i32>,
    /// Closes an upstream connection after it has carried no request for this long (duration);
    /// default 1h. Applies to HTTP/1.1 and HTTP/2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<String>,
    /// Maximum number of concurrent streams on one HTTP/2 connection to a host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrent_streams: Option<i32>,
    /// Requests sent on one connection before it is closed; 1 disables keep-alive, 0 or unset
    /// means unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_requests_per_connection: Option<i32>,
    /// Maximum number of retries outstanding to all hosts of the service at once; defaults to
    /// unlimited (2^32-1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<i32>,
    /// Keeps the client's HTTP version for the upstream connection; `h2UpgradePolicy` is then
    /// ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_client_protocol: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum H2UpgradePolicy {
    #[serde(rename = "DEFAULT")]
    Default,
    #[serde(rename = "DO_NOT_UPGRADE")]
    DoNotUpgrade,
    #[serde(rename = "UPGRADE")]
    Upgrade,
}

/// `DestinationRule.subsets[*].trafficPolicy.connectionPool.http.http2KeepAlive` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Http2KeepAlive {
    /// Time between PING frames, as a duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// How long to wait for a PING reply before the connection is closed, as a duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// `DestinationRule.subsets[*].trafficPolicy.connectionPool.tcp` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpSettings {
    /// Timeout for establishing a TCP connection, as a duration; default 10s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<String>,
    /// Closes a TCP connection after it has been idle this long (duration); default 1h.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<String>,
    /// Maximum lifetime of an upstream connection, as a duration of at least 1ms; unlimited
    /// when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_connection_duration: Option<String>,
    /// Maximum number of connections to each host of the destination; defaults to unlimited
    /// (2^32-1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<i32>,
    /// Sends TCP keepalive probes on the socket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_keepalive: Option<TcpKeepalive>,
}

/// `DestinationRule.subsets[*].trafficPolicy.connectionPool.tcp.tcpKeepalive` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpKeepalive {
    /// Time between keepalive probes (duration); the OS default when unset (75s on Linux).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// Unanswered probes after which the connection is dropped; the OS default when unset (9 on
    /// Linux).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probes: Option<u32>,
    /// Idle time before the first probe (duration); the OS default when unset (2h on Linux).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["simple"]}, {"required": ["consistentHash"]}, {"required": ["backendUtilization"]}]}}, {"required": ["simple"]}, {"required": ["consistentHash"]}, {"required": ["backendUtilization"]}]))]
pub struct LoadBalancerSettings {
    /// Weights endpoints by the load they report (ORCA metrics), sending more traffic to less
    /// busy ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend_utilization: Option<BackendUtilizationLb>,
    /// Sticky sessions: requests with the same hash key (header, cookie, source IP, query
    /// parameter) go to the same endpoint. Excludes `simple`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_hash: Option<ConsistentHashLb>,
    /// Locality-aware load balancing: traffic distribution and failover between regions, zones
    /// and sub-zones; overrides the mesh-wide setting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality_lb_setting: Option<LocalityLoadBalancerSetting>,
    /// A standard algorithm: `LEAST_REQUEST` (the default), `ROUND_ROBIN`, `RANDOM` or
    /// `PASSTHROUGH`; `LEAST_CONN` is a deprecated alias of `LEAST_REQUEST`. Excludes
    /// `consistentHash`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simple: Option<SimpleLb>,
    /// Slow start: new endpoints get a growing share of traffic over a warmup period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warmup: Option<WarmupConfiguration>,
    /// Deprecated; use `warmup.duration`. Slow-start period for new endpoints, as a duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warmup_duration_secs: Option<String>,
    /// Envoy's zone-aware routing: prefers endpoints in the caller's zone while their capacity
    /// allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_aware_lb_setting: Option<ZoneAwareLbSetting>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.backendUtilization` in the Istio API:
/// endpoints weighted by the load they report (ORCA).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackendUtilizationLb {
    /// Extra load, as a percentage of utilization, counted against endpoints that return
    /// errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_utilization_penalty_percent: Option<u32>,
    /// Names of the custom ORCA metrics used to compute utilization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metric_names_for_computing_utilization: Vec<String>,
    /// After this long without a report (duration), an endpoint's weight falls back to the
    /// default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_expiration_period: Option<String>,
    /// How long (duration) an endpoint must report before its weight is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_stabilization_period: Option<String>,
    /// How often (duration) weights are recomputed from the latest reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_update_period: Option<String>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.consistentHash` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("allOf" = [{"oneOf": [{"not": {"anyOf": [{"required": ["httpHeaderName"]}, {"required": ["httpCookie"]}, {"required": ["useSourceIp"]}, {"required": ["httpQueryParameterName"]}]}}, {"required": ["httpHeaderName"]}, {"required": ["httpCookie"]}, {"required": ["useSourceIp"]}, {"required": ["httpQueryParameterName"]}]}, {"oneOf": [{"not": {"anyOf": [{"required": ["ringHash"]}, {"required": ["maglev"]}]}}, {"required": ["ringHash"]}, {"required": ["maglev"]}]}]))]
pub struct ConsistentHashLb {
    /// Hashes on an HTTP cookie; Envoy creates the cookie when it is missing and a `ttl` is
    /// set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_cookie: Option<HttpCookie>,
    /// Hashes on the value of this request header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_header_name: Option<String>,
    /// Hashes on the value of this query parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_query_parameter_name: Option<String>,
    /// Uses the Maglev algorithm for the hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maglev: Option<MagLev>,
    /// Deprecated; use `ringHash.minimumRingSize`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_ring_size: Option<u64>,
    /// Uses the ring hash (ketama) algorithm for the hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ring_hash: Option<RingHash>,
    /// Hashes on the client's source IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_source_ip: Option<bool>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.consistentHash.httpCookie` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpCookie {
    /// Extra attributes written into a generated cookie (name and optional value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<CookieAttribute>,
    /// Name of the cookie (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub name: Option<String>,
    /// Path attribute of the generated cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Lifetime of the generated cookie, as a duration; with no TTL, no cookie is generated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CookieAttribute {
    /// Name of the cookie attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub name: Option<String>,
    /// Value of the cookie attribute, if it takes one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.consistentHash.maglev` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MagLev {
    /// Size of the Maglev lookup table; it should be a prime number, larger than the number of
    /// endpoints. Envoy's default is 65537.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_size: Option<u64>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.consistentHash.ringHash` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RingHash {
    /// Minimum number of virtual nodes on the hash ring; default 1024. Larger rings spread load
    /// more evenly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_ring_size: Option<u64>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.localityLbSetting` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalityLoadBalancerSetting {
    /// Explicit traffic shares from each source locality to destination localities; excludes
    /// `failover`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribute: Vec<LocalityDistribute>,
    /// Turns locality load balancing on or off for this rule, overriding the mesh-wide setting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Region to send traffic to when the endpoints of a source region are unhealthy; needs
    /// outlier detection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover: Vec<LocalityFailover>,
    /// Ordered labels (e.g. `topology.istio.io/network`) used to prefer endpoints that share
    /// them with the caller; needs outlier detection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover_priority: Vec<String>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.localityLbSetting.distribute[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalityDistribute {
    /// Source locality, as `region/zone/sub_zone`, where a trailing part may be `*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Destination localities with the percentage of traffic each gets; the values must add up
    /// to 100.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub to: StringMap<u32>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.localityLbSetting.failover[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalityFailover {
    /// Region of the unhealthy endpoints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Region to fail over to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum SimpleLb {
    #[serde(rename = "UNSPECIFIED")]
    Unspecified,
    #[serde(rename = "LEAST_CONN")]
    LeastConn,
    #[serde(rename = "RANDOM")]
    Random,
    #[serde(rename = "PASSTHROUGH")]
    Passthrough,
    #[serde(rename = "ROUND_ROBIN")]
    RoundRobin,
    #[serde(rename = "LEAST_REQUEST")]
    LeastRequest,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.warmup` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WarmupConfiguration {
    /// How fast traffic grows during warmup: 1.0 is linear, higher values ramp up more slowly
    /// at first. Default 1.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub aggression: Option<f64>,
    /// Length of the warmup period for a new endpoint, as a duration (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub duration: Option<String>,
    /// Share of normal traffic (0-100) a new endpoint gets at the start of warmup; default 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 100.0))]
    pub minimum_percent: Option<f64>,
}

/// `DestinationRule.subsets[*].trafficPolicy.loadBalancer.zoneAwareLbSetting` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ZoneAwareLbSetting {
    /// Turns zone-aware routing on or off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Region to fail over to when a region's endpoints are unhealthy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover: Vec<LocalityFailover>,
    /// Ordered labels used to prefer endpoints that share them with the caller.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover_priority: Vec<String>,
    /// Least number of endpoints in the caller's zone for zone-aware routing to be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub min_cluster_size: Option<u64>,
}

/// `DestinationRule.subsets[*].trafficPolicy.outlierDetection` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutlierDetection {
    /// Minimum ejection time (duration); each further ejection of a host multiplies it. Default
    /// 30s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_ejection_time: Option<String>,
    /// Consecutive 5xx responses (or connection errors for TCP) that eject a host; default 5, 0
    /// disables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consecutive5xx_errors: Option<u32>,
    /// Deprecated; use `consecutive5xxErrors` or `consecutiveGatewayErrors`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consecutive_errors: Option<i32>,
    /// Consecutive 502, 503 or 504 responses that eject a host; disabled by default (0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consecutive_gateway_errors: Option<u32>,
    /// Consecutive locally detected failures (connect timeouts, resets) that eject a host; only
    /// used with `splitExternalLocalOriginErrors`. Default 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consecutive_local_origin_failures: Option<u32>,
    /// Time between ejection sweeps, as a duration of at least 1ms; default 10s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// Highest share of the pool (0-100) that may be ejected at once; default 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_ejection_percent: Option<i32>,
    /// Outlier detection stays on only while at least this share (0-100) of hosts is healthy;
    /// default 0 (always on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_health_percent: Option<i32>,
    /// HTTP status codes (100-599) counted as errors for ejection, in place of the default 5xx.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outlier_detection_http_error_codes: Vec<u32>,
    /// Counts local failures (timeouts, resets, connection errors) apart from upstream HTTP
    /// errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_external_local_origin_errors: Option<bool>,
}

/// `DestinationRule.subsets[*].trafficPolicy.portLevelSettings[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortTrafficPolicy {
    /// Connection pool limits for this port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_pool: Option<ConnectionPoolSettings>,
    /// Load balancing for this port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<Box<LoadBalancerSettings>>,
    /// Outlier detection for this port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlier_detection: Option<OutlierDetection>,
    /// Port of the destination this policy applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortSelector>,
    /// TLS settings for this port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ClientTlsSettings>,
}

/// `DestinationRule.subsets[*].trafficPolicy.portLevelSettings[*].tls` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientTlsSettings {
    /// File path of the CA bundle that verifies the server's certificate (not for
    /// `ISTIO_MUTUAL`); the system roots are used when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_certificates: Option<String>,
    /// File path of a certificate revocation list to check the server's certificate against
    /// (not for `ISTIO_MUTUAL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_crl: Option<String>,
    /// File path of the client certificate for `MUTUAL` mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<String>,
    /// Name of a Kubernetes Secret holding the client certificate, key and CA; only read by
    /// gateways, in place of the file paths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_name: Option<String>,
    /// Skips verification of the server's certificate and names; not for `ISTIO_MUTUAL`.
    /// Default false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insecure_skip_verify: Option<bool>,
    /// TLS origination mode: `DISABLE` (plain text), `SIMPLE` (TLS), `MUTUAL` (mTLS with given
    /// certificates) or `ISTIO_MUTUAL` (mTLS with Istio's certificates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<ClientTlsMode>,
    /// File path of the client's private key for `MUTUAL` mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    /// SNI name sent in the TLS handshake; derived from the host for `SIMPLE` and `MUTUAL` when
    /// unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    /// Names the server certificate's subject alternative names must include.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ClientTlsMode {
    #[serde(rename = "DISABLE")]
    Disable,
    #[serde(rename = "SIMPLE")]
    Simple,
    #[serde(rename = "MUTUAL")]
    Mutual,
    #[serde(rename = "ISTIO_MUTUAL")]
    IstioMutual,
}

/// `DestinationRule.subsets[*].trafficPolicy.proxyProtocol` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyProtocol {
    /// PROXY protocol version: `V1` (text) or `V2` (binary).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<ProxyProtocolVersion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ProxyProtocolVersion {
    #[serde(rename = "V1")]
    V1,
    #[serde(rename = "V2")]
    V2,
}

/// `DestinationRule.subsets[*].trafficPolicy.retryBudget` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryBudget {
    /// Window (duration) of requests considered when the budget is computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_interval: Option<String>,
    /// Retries always allowed at once, whatever the budget; default 3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_retry_concurrency: Option<u32>,
    /// Concurrent retries allowed, as a percentage (0-100) of active and pending requests;
    /// default 20.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 100.0))]
    pub percent: Option<f64>,
}

/// `DestinationRule.subsets[*].trafficPolicy.tunnel` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TunnelSettings {
    /// Tunnel protocol: `CONNECT` (the default, HTTP CONNECT) or `POST`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Host (FQDN or IP) the tunnelled connection is sent to (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub target_host: Option<String>,
    /// Port (1-65535) the tunnelled connection is sent to (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub target_port: Option<u32>,
}

/// `DestinationRule.workloadSelector` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadSelector {
    /// Labels a workload must carry (all of them) to be selected; label values may not contain
    /// wildcards.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub match_labels: StringMap,
}
