//! The `WorkloadGroup` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `WorkloadGroup` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadGroupSpec {
    /// Labels and annotations given to every WorkloadEntry created from the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<WorkloadGroupObjectMeta>,
    /// Readiness check run by the proxy on each VM of the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<ReadinessProbe>,
    /// WorkloadEntry fields shared by the group's workloads (required); `address` and `labels`
    /// are left to each entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub template: Option<WorkloadEntry>,
}

/// `WorkloadGroup.metadata`: labels and annotations given to every
/// WorkloadEntry of the group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadGroupObjectMeta {
    /// Annotations for the created WorkloadEntries.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(extend("maxProperties" = 256))]
    pub annotations: StringMap,
    /// Labels for the created WorkloadEntries.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(extend("maxProperties" = 256))]
    pub labels: StringMap,
}

/// `WorkloadGroup.probe` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["httpGet"]}, {"required": ["tcpSocket"]}, {"required": ["exec"]}, {"required": ["grpc"]}]}}, {"required": ["httpGet"]}, {"required": ["tcpSocket"]}, {"required": ["exec"]}, {"required": ["grpc"]}]))]
pub struct ReadinessProbe {
    /// Runs a command; healthy when it exits 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecHealthCheckConfig>,
    /// Consecutive failures that make the workload unready; default 3, at least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub failure_threshold: Option<i32>,
    /// Calls the gRPC health checking service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grpc: Option<GrpcHealthCheckConfig>,
    /// Sends an HTTP GET; healthy on a 2xx or 3xx answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HttpHealthCheckConfig>,
    /// Seconds after start before the first check; default 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub initial_delay_seconds: Option<i32>,
    /// Seconds between checks; default 10, at least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub period_seconds: Option<i32>,
    /// Consecutive successes that make the workload ready again; default 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub success_threshold: Option<i32>,
    /// Opens a TCP connection; healthy when it connects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<TcpHealthCheckConfig>,
    /// Seconds before a check times out; default 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub timeout_seconds: Option<i32>,
}

/// `WorkloadGroup.probe.exec` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["command"]))]
pub struct ExecHealthCheckConfig {
    /// Command and arguments to run (required).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(required, inner(length(min = 1)))]
    pub command: Vec<String>,
}

/// `WorkloadGroup.probe.grpc` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrpcHealthCheckConfig {
    /// Port of the gRPC health service (1-65535).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// Service name sent in the health request; the server's overall health when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

/// `WorkloadGroup.probe.httpGet` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpHealthCheckConfig {
    /// Host to connect to; `localhost` by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Headers sent with the request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http_headers: Vec<ProbeHeader>,
    /// Path requested, e.g. `/healthz`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Port to connect to (1-65535, required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub port: Option<u32>,
    /// `HTTP` (the default) or `HTTPS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

/// `WorkloadGroup.probe.httpGet.httpHeaders[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProbeHeader {
    /// Header name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^[-_A-Za-z0-9]+$"))]
    pub name: Option<String>,
    /// Header value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `WorkloadGroup.probe.tcpSocket` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpHealthCheckConfig {
    /// Host to connect to; `localhost` by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Port to connect to (1-65535, required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub port: Option<u32>,
}
