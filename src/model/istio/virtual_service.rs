//! The `VirtualService` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `VirtualService` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VirtualServiceSpec {
    /// Namespaces this VirtualService is visible to: `.` for its own namespace, `*` for all
    /// (the default when empty), or namespace names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub export_to: Vec<String>,
    /// Gateways and sidecars the routes apply to, as `namespace/name` (a bare name means this
    /// resource's namespace); the reserved word `mesh` stands for every sidecar. Empty means
    /// `mesh` only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<String>,
    /// Destination hosts the traffic is addressed to: DNS names (short names are resolved in
    /// this resource's namespace), wildcard names like `*.example.com`, or IP addresses. `*`
    /// alone is allowed only when `gateways` does not include `mesh`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Ordered routing rules for HTTP/1.1, HTTP/2 and gRPC traffic; the first rule whose match
    /// succeeds is used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http: Vec<HttpRoute>,
    /// Ordered routing rules for opaque TCP traffic (ports not treated as HTTP or TLS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tcp: Vec<TcpRoute>,
    /// Ordered routing rules for TLS and HTTPS traffic that is passed through unterminated,
    /// matched by SNI.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls: Vec<TlsRoute>,
}

/// `VirtualService.http[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRoute {
    /// Cross-origin resource sharing (CORS) settings applied to requests matched by this rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors_policy: Option<Box<CorsPolicy>>,
    /// Hands the matched traffic to another VirtualService (by name and namespace) that holds
    /// the routes; only valid in a root VirtualService, and excludes `route` and `redirect`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegate: Option<Box<Delegate>>,
    /// Answers the request directly with a fixed status and optional body instead of forwarding
    /// it; excludes `route`, `redirect` and `delegate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct_response: Option<Box<HttpDirectResponse>>,
    /// Fault injection (delays or aborts) applied on the client side to matched requests;
    /// retries and timeouts of this rule are not applied while a fault is configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<Box<HttpFaultInjection>>,
    /// Request and response header changes (set, add, remove) for this rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Box<Headers>>,
    /// Conditions for this rule. Conditions inside one entry must all hold (AND); the rule
    /// applies when any entry holds (OR). No entry matches everything.
    #[serde(rename = "match", default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<HttpMatchRequest>,
    /// Sends a copy of each request to this destination in addition to the normal route;
    /// responses from the mirror are ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror: Option<Box<Destination>>,
    /// Deprecated snake_case spelling of `mirrorPercent`; use `mirrorPercentage`.
    #[serde(rename = "mirror_percent", skip_serializing_if = "Option::is_none")]
    pub mirror_percent_legacy: Option<u32>,
    /// Deprecated: percentage (0-100, integer) of requests mirrored; use `mirrorPercentage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror_percent: Option<u32>,
    /// Share of requests sent to `mirror` (0.0-100.0). Defaults to 100% when `mirror` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror_percentage: Option<Box<Percent>>,
    /// Several mirror destinations, each with its own percentage; cannot be combined with
    /// `mirror`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mirrors: Vec<HttpMirrorPolicy>,
    /// Rule name, shown in access logs and the proxy's route configuration; the name of a
    /// matched rule is joined with the match name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Replies with an HTTP redirect (301 by default) instead of forwarding; excludes `route`,
    /// `directResponse` and `delegate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Box<HttpRedirect>>,
    /// Retry policy for failed requests on this rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<Box<HttpRetry>>,
    /// Rewrites the path or authority (Host) of a request before it is forwarded; cannot be
    /// combined with `redirect`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<Box<HttpRewrite>>,
    /// Destinations the traffic is forwarded to, with weights that must add up to 100 when
    /// there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<HttpRouteDestination>,
    /// Timeout for the whole request, as a duration (`5s`, `250ms`). Disabled by default (no
    /// timeout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// `VirtualService.http[*].corsPolicy` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CorsPolicy {
    /// Whether the browser may send credentials (cookies, auth headers) with the actual
    /// request; becomes `Access-Control-Allow-Credentials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_credentials: Option<bool>,
    /// Request headers the client may use; becomes `Access-Control-Allow-Headers`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_headers: Vec<String>,
    /// HTTP methods the client may use; becomes `Access-Control-Allow-Methods`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_methods: Vec<String>,
    /// Deprecated list of exact origins; use `allowOrigins`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_origin: Vec<String>,
    /// Origins allowed to make cross-origin requests, each an exact, prefix or regex match; a
    /// match is echoed back in `Access-Control-Allow-Origin`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_origins: Vec<StringMatch>,
    /// Response headers the browser may read; becomes `Access-Control-Expose-Headers`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expose_headers: Vec<String>,
    /// How long (duration) a browser may cache the preflight result; becomes `Access-Control-
    /// Max-Age`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age: Option<String>,
    /// What to do with a preflight request whose origin does not match: `FORWARD` it to the
    /// upstream (the default) or `IGNORE` it (answer without CORS headers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmatched_preflights: Option<UnmatchedPreflights>,
}

/// `VirtualService.http[*].corsPolicy.allowOrigins[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["exact"]}, {"required": ["prefix"]}, {"required": ["regex"]}]}}, {"required": ["exact"]}, {"required": ["prefix"]}, {"required": ["regex"]}]))]
pub struct StringMatch {
    /// The value must equal this string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// The value must start with this string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The value must match this RE2 regular expression in full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum UnmatchedPreflights {
    #[serde(rename = "UNSPECIFIED")]
    Unspecified,
    #[serde(rename = "FORWARD")]
    Forward,
    #[serde(rename = "IGNORE")]
    Ignore,
}

/// `VirtualService.http[*].delegate` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Delegate {
    /// Name of the delegate VirtualService.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Namespace of the delegate VirtualService; defaults to this resource's namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// `VirtualService.http[*].directResponse` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpDirectResponse {
    /// Response body, as a string or base64-encoded bytes; omitted means an empty body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<HttpBody>,
    /// HTTP status code of the response (required, e.g. 200 or 503).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub status: Option<u32>,
}

/// `VirtualService.http[*].directResponse.body` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["string"]}, {"required": ["bytes"]}]}}, {"required": ["string"]}, {"required": ["bytes"]}]))]
pub struct HttpBody {
    /// Body as base64-encoded bytes (for binary content).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<String>,
    /// Body as plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string: Option<String>,
}

/// `VirtualService.http[*].fault` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpFaultInjection {
    /// Ends matched requests early with an error status instead of forwarding them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abort: Option<Abort>,
    /// Holds matched requests for a while before forwarding them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<Delay>,
}

/// `VirtualService.http[*].fault.abort` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["httpStatus"]}, {"required": ["grpcStatus"]}, {"required": ["http2Error"]}]}}, {"required": ["httpStatus"]}, {"required": ["grpcStatus"]}, {"required": ["http2Error"]}]))]
pub struct Abort {
    /// gRPC status code name to return (e.g. `UNAVAILABLE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grpc_status: Option<String>,
    /// HTTP/2 error code to reset the stream with (reserved; not implemented by Istio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http2_error: Option<String>,
    /// HTTP status code to return (200-599).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<i32>,
    /// Share of requests to abort (0.0-100.0); all of them when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentage: Option<Percent>,
}

/// `VirtualService.http[*].fault.abort.percentage` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Percent {
    /// A percentage from 0.0 to 100.0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

/// `VirtualService.http[*].fault.delay` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["fixedDelay"]}, {"required": ["exponentialDelay"]}]}}, {"required": ["fixedDelay"]}, {"required": ["exponentialDelay"]}]))]
pub struct Delay {
    /// Exponential delay as a duration (reserved; not implemented by Istio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exponential_delay: Option<String>,
    /// Fixed time to wait before forwarding, as a duration of at least 1ms (`5s`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_delay: Option<String>,
    /// Deprecated integer percentage of requests to delay; use `percentage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<i32>,
    /// Share of requests to delay (0.0-100.0); all of them when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentage: Option<Percent>,
}

/// `VirtualService.http[*].headers` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Headers {
    /// Changes made to the request before it is forwarded to the destination.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<HeaderOperations>,
    /// Changes made to the response before it is returned to the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<HeaderOperations>,
}

/// `VirtualService.http[*].headers.request` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderOperations {
    /// Headers to append, by name; an existing header keeps its value and gets one more.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub add: StringMap,
    /// Names of headers to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Headers to set, by name, replacing any existing value.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub set: StringMap,
}

/// `VirtualService.http[*].match[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpMatchRequest {
    /// Condition on the HTTP authority (Host header), case-sensitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<StringMatch>,
    /// Gateways this match applies to (`namespace/name` or `mesh`); overrides the
    /// VirtualService's `gateways` for this match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<String>,
    /// Conditions on request headers, by lower-case header name; `{}` as the value only
    /// requires the header to be present.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub headers: StringMap<StringMatch>,
    /// Whether `uri` is compared case-insensitively (exact and prefix matches only). Default
    /// false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignore_uri_case: Option<bool>,
    /// Condition on the HTTP method, case-sensitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<StringMatch>,
    /// Name of this match; it is appended to the rule's name in the route configuration and
    /// logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Port the request arrived on (1-65535); useful when a host serves several ports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// Conditions on query parameters, by name (exact and regex only; `{}` requires the
    /// parameter to be present).
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub query_params: StringMap<StringMatch>,
    /// Condition on the URI scheme (`http`, `https`), case-sensitive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<StringMatch>,
    /// Labels the calling workload must carry; with `gateways` set, `mesh` must be among them.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub source_labels: StringMap,
    /// Namespace the calling workload must run in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_namespace: Option<String>,
    /// Prefix for the proxy's statistics of this route; enables per-route stats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stat_prefix: Option<String>,
    /// Condition on the request path, case-sensitive unless `ignoreUriCase` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<StringMatch>,
    /// Headers that must not match: the request matches only when none of these conditions
    /// holds.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub without_headers: StringMap<StringMatch>,
}

/// `VirtualService.http[*].mirror` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Destination {
    /// Service to send traffic to, as found in the service registry (Kubernetes Service or
    /// ServiceEntry host); short names are resolved in the VirtualService's namespace, so
    /// prefer full names.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub host: Option<String>,
    /// Port of the destination host; needed when the service exposes more than one port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortSelector>,
    /// Name of a subset defined in the host's DestinationRule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subset: Option<String>,
}

/// `VirtualService.http[*].mirror.port` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortSelector {
    /// Port number (1-65535).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
}

/// `VirtualService.http[*].mirrors[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpMirrorPolicy {
    /// Where to send the copy of each request (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub destination: Option<Destination>,
    /// Share of requests to mirror (0.0-100.0); all of them when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentage: Option<Percent>,
}

/// `VirtualService.http[*].redirect` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"not": {"anyOf": [{"required": ["port"]}, {"required": ["derivePort"]}]}}, {"required": ["port"]}, {"required": ["derivePort"]}]))]
pub struct HttpRedirect {
    /// Authority (Host) to put in the redirect location instead of the original one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// How to choose the port of the redirect location: `FROM_PROTOCOL_DEFAULT` (80 for http,
    /// 443 for https) or `FROM_REQUEST_PORT`; excludes `port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derive_port: Option<RedirectPortSelection>,
    /// Port to put in the redirect location; excludes `derivePort`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// Replaces the matched path prefix in the redirect location (only with a prefix `uri`
    /// match); excludes `uri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_rewrite: Option<String>,
    /// HTTP status of the redirect (301, 302, 303, 307 or 308); default 301.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_code: Option<u32>,
    /// Scheme to put in the redirect location (`http` or `https`); the original one by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// Path that replaces the whole path in the redirect location; excludes `prefixRewrite`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum RedirectPortSelection {
    #[serde(rename = "FROM_PROTOCOL_DEFAULT")]
    FromProtocolDefault,
    #[serde(rename = "FROM_REQUEST_PORT")]
    FromRequestPort,
}

/// `VirtualService.http[*].retries` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRetry {
    /// Number of retries for a request (not counting the first try); 0 disables retries. The
    /// total time is still bounded by the route's `timeout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i32>,
    /// Minimum wait between retries, as a duration; Envoy's default is 25ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backoff: Option<String>,
    /// Timeout for each try, as a duration of at least 1ms; defaults to the route's `timeout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_try_timeout: Option<String>,
    /// Whether retries avoid hosts already tried; default true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_ignore_previous_hosts: Option<bool>,
    /// Comma-separated conditions that trigger a retry: Envoy's retry policies (`5xx`,
    /// `gateway-error`, `connect-failure`, `retriable-4xx`, `reset`, ...), gRPC statuses
    /// (`cancelled`, `unavailable`, ...) or HTTP status codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_on: Option<String>,
    /// Whether retries may go to hosts in other localities; default false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_remote_localities: Option<bool>,
}

/// `VirtualService.http[*].rewrite` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRewrite {
    /// Value that replaces the Authority (Host) header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// Replaces the matched path prefix (or the whole path for an exact match) before
    /// forwarding; excludes `uriRegexRewrite`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Rewrites the path with a regular expression and a substitution; excludes `uri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_regex_rewrite: Option<RegexRewrite>,
}

/// `VirtualService.http[*].rewrite.uriRegexRewrite` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegexRewrite {
    /// RE2 regular expression matched against the path.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matches: Option<String>,
    /// Replacement for the matched part; capture groups are referenced as `\1`, `\2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<String>,
}

/// `VirtualService.http[*].route[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRouteDestination {
    /// Service (and optionally subset and port) to forward to (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub destination: Option<Destination>,
    /// Header changes applied only when this destination is chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Box<Headers>>,
    /// Share of the traffic (0-100) sent to this destination; the weights of a rule must add up
    /// to 100, and a single destination gets 100 when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
}

/// `VirtualService.tcp[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpRoute {
    /// Conditions for this rule; the rule applies when any entry holds.
    #[serde(rename = "match", default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<L4MatchAttributes>,
    /// Destinations the connection is forwarded to; only one entry is allowed today.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<RouteDestination>,
}

/// `VirtualService.tcp[*].match[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct L4MatchAttributes {
    /// Destination IP addresses or CIDR blocks (`a.b.c.d/xx`) the connection must be addressed
    /// to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_subnets: Vec<String>,
    /// Gateways this match applies to; overrides the VirtualService's `gateways`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<String>,
    /// Port the connection arrived on (1-65535).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// Labels the calling workload must carry.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub source_labels: StringMap,
    /// Namespace the calling workload must run in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_namespace: Option<String>,
    /// Source IP or CIDR block of the connection (reserved; not implemented by Istio).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_subnet: Option<String>,
}

/// `VirtualService.tcp[*].route[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteDestination {
    /// Service (and optionally subset and port) to forward to (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub destination: Option<Destination>,
    /// Share of the traffic (0-100) sent to this destination; the weights must add up to 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
}

/// `VirtualService.tls[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
// schemars leaves defaulted lists out of `required`; Istio requires this one.
#[schemars(extend("required" = ["match"]))]
pub struct TlsRoute {
    /// Conditions for this rule (at least one is required); the rule applies when any entry
    /// holds.
    #[serde(rename = "match", default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(required)]
    pub matches: Vec<TlsMatchAttributes>,
    /// Destinations the connection is forwarded to; only one entry is allowed today.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<RouteDestination>,
}

/// `VirtualService.tls[*].match[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
// schemars leaves defaulted lists out of `required`; Istio requires this one.
#[schemars(extend("required" = ["sniHosts"]))]
pub struct TlsMatchAttributes {
    /// Destination IP addresses or CIDR blocks the connection must be addressed to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_subnets: Vec<String>,
    /// Gateways this match applies to; overrides the VirtualService's `gateways`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<String>,
    /// Port the connection arrived on (1-65535).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// SNI names to match (required); each must be one of the VirtualService's hosts or match
    /// it by wildcard.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(required)]
    pub sni_hosts: Vec<String>,
    /// Labels the calling workload must carry.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub source_labels: StringMap,
    /// Namespace the calling workload must run in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_namespace: Option<String>,
}
