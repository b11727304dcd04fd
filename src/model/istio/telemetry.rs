//! The `Telemetry` spec, field for field as Istio's API serves it (v1 and
//! v1alpha1 alike). Generated once from the published CRD schemas, then
//! kept by hand.

use super::*;
use crate::model::StringMap;

/// `Telemetry` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TelemetrySpec {
    /// Access log settings: which providers log, with optional filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_logging: Vec<AccessLogging>,
    /// Metric settings: providers, overrides of metrics and tags, reporting interval.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metrics>,
    /// Workloads the settings apply to, by label; every workload of the namespace when unset
    /// (the whole mesh in the root namespace). Excludes `targetRefs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<WorkloadSelector>,
    /// Deprecated single form of `targetRefs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<PolicyTargetReference>,
    /// Resources (a Gateway API Gateway or GatewayClass, or a Service for waypoints) the
    /// settings apply to, instead of a selector.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub target_refs: Vec<PolicyTargetReference>,
    /// Tracing settings: providers, sampling, custom tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracing: Vec<Tracing>,
}

/// `Telemetry.tracing[]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tracing {
    /// Extra span tags by name: a literal, an environment variable, a request header or a
    /// formatter.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub custom_tags: StringMap<CustomTag>,
    /// Stops trace context headers from being forwarded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_context_propagation: Option<bool>,
    /// Stops spans from being reported to the providers; context still propagates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_span_reporting: Option<bool>,
    /// Adds Istio's own tags (e.g. `istio.canonical_service`) to spans; default true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_istio_tags: Option<bool>,
    /// Which traffic the settings apply to: client, server or both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#match: Option<TracingSelector>,
    /// Tracing providers (from the mesh config) to use; only one is supported today.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderRef>,
    /// Share of requests traced (0.0-100.0) when the caller made no decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 100.0))]
    pub random_sampling_percentage: Option<f64>,
    /// Whether the `x-request-id` header decides sampling; default true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_request_id_for_trace_sampling: Option<bool>,
}

/// `Telemetry.tracing[].match` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TracingSelector {
    /// `CLIENT_AND_SERVER` (the default), `CLIENT` or `SERVER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<TelemetryWorkloadMode>,
}

/// `Telemetry.tracing[].customTags{}` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["literal"]}, {"required": ["environment"]}, {"required": ["header"]}, {"required": ["formatter"]}]}}, {"required": ["literal"]}, {"required": ["environment"]}, {"required": ["header"]}, {"required": ["formatter"]}]))]
pub struct CustomTag {
    /// Value from an environment variable of the proxy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<EnvironmentTag>,
    /// Value from an Envoy access-log formatter expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formatter: Option<FormatterTag>,
    /// Value from a request header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<RequestHeaderTag>,
    /// A fixed value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub literal: Option<LiteralTag>,
}

/// `Telemetry.tracing[].customTags{}.literal` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LiteralTag {
    /// The tag's value (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(min = 1))]
    pub value: Option<String>,
}

/// `Telemetry.tracing[].customTags{}.header` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestHeaderTag {
    /// Value used when the header is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// Name of the request header (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(min = 1))]
    pub name: Option<String>,
}

/// `Telemetry.tracing[].customTags{}.formatter` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FormatterTag {
    /// Formatter expression, e.g. `%REQ(:PATH)%` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(min = 1))]
    pub value: Option<String>,
}

/// `Telemetry.tracing[].customTags{}.environment` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvironmentTag {
    /// Value used when the variable is unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// Name of the environment variable (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(min = 1))]
    pub name: Option<String>,
}

/// `Telemetry.metrics[]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metrics {
    /// Changes to single metrics: disable them or add, change and remove tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<MetricsOverrides>,
    /// Metrics providers (from the mesh config) to use, e.g. `prometheus`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderRef>,
    /// How often metrics are reported (duration, at least 1ms); only TCP metrics use it today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporting_interval: Option<String>,
}

/// `Telemetry.metrics[].overrides[]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricsOverrides {
    /// Turns the selected metrics off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Which metrics the override applies to; all of them when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#match: Option<MetricSelector>,
    /// Tags to add, change (`UPSERT`) or `REMOVE`, by tag name.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub tag_overrides: StringMap<TagOverride>,
}

/// `Telemetry.metrics[].overrides[].tagOverrides{}` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TagOverride {
    /// `UPSERT` (the default: add or change) or `REMOVE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<TagOperation>,
    /// CEL expression giving the tag's value; for `UPSERT` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `Telemetry.metrics[].overrides[].match` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["metric"]}, {"required": ["customMetric"]}]}}, {"required": ["metric"]}, {"required": ["customMetric"]}]))]
pub struct MetricSelector {
    /// Name of a metric not among Istio's standard ones; excludes `metric`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub custom_metric: Option<String>,
    /// One of Istio's standard metrics (`REQUEST_COUNT`, `REQUEST_DURATION`, ...) or
    /// `ALL_METRICS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<IstioMetric>,
    /// `CLIENT_AND_SERVER` (the default), `CLIENT` or `SERVER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<TelemetryWorkloadMode>,
}

/// `Telemetry.accessLogging[]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessLogging {
    /// Turns access logging off for the selected traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Logs only the requests a CEL expression accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<AccessLoggingFilter>,
    /// Which traffic the settings apply to: client, server or both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#match: Option<LoggingSelector>,
    /// Access log providers (from the mesh config) to use, e.g. `envoy`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderRef>,
}

/// `Telemetry.accessLogging[].providers[]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderRef {
    /// Name of a provider defined in the mesh config's `extensionProviders` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(min = 1))]
    pub name: Option<String>,
}

/// `Telemetry.accessLogging[].match` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoggingSelector {
    /// `CLIENT_AND_SERVER` (the default), `CLIENT` or `SERVER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<TelemetryWorkloadMode>,
}

/// `Telemetry.accessLogging[].filter` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessLoggingFilter {
    /// CEL expression; a request is logged when it yields true, e.g. `response.code >= 400`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TelemetryWorkloadMode {
    #[serde(rename = "CLIENT_AND_SERVER")]
    ClientAndServer,
    #[serde(rename = "CLIENT")]
    Client,
    #[serde(rename = "SERVER")]
    Server,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum IstioMetric {
    #[serde(rename = "ALL_METRICS")]
    AllMetrics,
    #[serde(rename = "REQUEST_COUNT")]
    RequestCount,
    #[serde(rename = "REQUEST_DURATION")]
    RequestDuration,
    #[serde(rename = "REQUEST_SIZE")]
    RequestSize,
    #[serde(rename = "RESPONSE_SIZE")]
    ResponseSize,
    #[serde(rename = "TCP_OPENED_CONNECTIONS")]
    TcpOpenedConnections,
    #[serde(rename = "TCP_CLOSED_CONNECTIONS")]
    TcpClosedConnections,
    #[serde(rename = "TCP_SENT_BYTES")]
    TcpSentBytes,
    #[serde(rename = "TCP_RECEIVED_BYTES")]
    TcpReceivedBytes,
    #[serde(rename = "GRPC_REQUEST_MESSAGES")]
    GrpcRequestMessages,
    #[serde(rename = "GRPC_RESPONSE_MESSAGES")]
    GrpcResponseMessages,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TagOperation {
    #[serde(rename = "UPSERT")]
    Upsert,
    #[serde(rename = "REMOVE")]
    Remove,
}
