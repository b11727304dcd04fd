//! The `HTTPRoute` spec, field for field as the Gateway API's standard channel
//! serves it (v1, v1beta1). Generated once from the CRD schemas, then kept by hand.

use super::*;

/// `HTTPRoute.spec` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRouteSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(
        length(max = 16),
        inner(
            length(min = 1, max = 253),
            pattern(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        )
    )]
    /// Hostnames the route serves, matched against the Host header; wildcards like
    /// `*.example.com` allowed. Intersected with the listener's hostname; every hostname when
    /// empty.
    pub hostnames: Vec<String>,
    /// Gateways, listeners or Services (for mesh routing) the route attaches to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 32))]
    pub parent_refs: Vec<ParentRef>,
    /// Routing rules: matches, filters and backends (at most 16). Among all rules, the most
    /// specific match wins, not the first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 16))]
    pub rules: Vec<Rule>,
}

/// `HTTPRoute.spec.rules[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// Backends the request is forwarded to, with weights; a rule without backends answers 500
    /// unless a filter replies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub backend_refs: Vec<BackendRef>,
    /// Processing applied to matched requests: header changes, redirect, rewrite, mirror, CORS
    /// or an extension; at most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub filters: Vec<Filter>,
    /// Conditions for this rule; any entry may match. No entry means a `PathPrefix /` match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64))]
    pub matches: Vec<Match>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Optional name of the rule, unique within the route.
    pub name: Option<String>,
    /// Timeouts for requests matched by this rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<Timeout>,
    /// When to retry a backend request (GEP-1731). A field of the Gateway API's experimental
    /// channel only: the standard-channel CRDs do not serve it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-meshctl-channel" = "experimental"))]
    pub retry: Option<Retry>,
}

/// `HTTPRoute.spec.rules[].retry` in the Gateway API's experimental channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Retry {
    /// Most retries of one backend request (at least 1); unset leaves the number to the
    /// implementation (Istio: 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub attempts: Option<i64>,
    /// Least wait between retries, as a Gateway API duration (`100ms`); unset leaves it to the
    /// implementation (Envoy: 25ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$"))]
    pub backoff: Option<String>,
    /// HTTP status codes (400 to 599) of backend responses to retry, besides connection
    /// errors; a set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("uniqueItems" = true), inner(range(min = 400, max = 599)))]
    pub codes: Vec<i32>,
}

/// `HTTPRoute.spec.rules[].backendRefs[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct BackendRef {
    /// Filters applied only when this backend is chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub filters: Vec<Filter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the backend; empty (the default) means the core group, i.e. a Service.
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the backend; `Service` by default.
    pub kind: Option<String>,
    /// Name of the backend (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
    /// Namespace of the backend; the route's own by default. Another namespace needs a
    /// ReferenceGrant there.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: Option<String>,
    /// Port of the backend (1-65535); required when the backend is a Service.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
    /// Relative share of the traffic (0-1000000) this backend gets among the rule's backends;
    /// default 1, 0 sends none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1000000))]
    pub weight: Option<i32>,
}

/// `HTTPRoute.spec.rules[].backendRefs[].filters[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["type"]))]
pub struct Filter {
    /// Cross-origin resource sharing settings; for type `CORS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors: Option<Cors>,
    /// Implementation-specific filter resource; for type `ExtensionRef`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_ref: Option<ExtensionRef>,
    /// Changes to request headers; for type `RequestHeaderModifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_header_modifier: Option<RequestHeaderModifier>,
    /// Sends a copy of each request to another backend; for type `RequestMirror`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_mirror: Option<RequestMirror>,
    /// Answers with a redirect; for type `RequestRedirect`. Cannot be combined with
    /// `URLRewrite` or backends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_redirect: Option<RequestRedirect>,
    /// Changes to response headers; for type `ResponseHeaderModifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_header_modifier: Option<ResponseHeaderModifier>,
    /// Kind of filter (required): `RequestHeaderModifier`, `ResponseHeaderModifier`,
    /// `RequestMirror`, `RequestRedirect`, `URLRewrite`, `CORS` or `ExtensionRef`; the field of
    /// the same name carries its settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<FilterType>,
    /// Rewrites the hostname or path before forwarding; for type `URLRewrite`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_rewrite: Option<UrlRewrite>,
}

/// `HTTPRoute.spec.rules[].backendRefs[].filters[].cors` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cors {
    /// Whether the browser may send credentials with the actual request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_credentials: Option<bool>,
    /// Request headers the client may use (`*` for any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64), extend("uniqueItems" = true), inner(length(min = 1, max = 256), pattern(r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$")))]
    pub allow_headers: Vec<String>,
    /// HTTP methods the client may use (`*` for any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 9), extend("uniqueItems" = true))]
    pub allow_methods: Vec<CorsAllowMethod>,
    /// Origins allowed, as `scheme://host[:port]` with optional wildcards, or `*`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64), extend("uniqueItems" = true), inner(length(min = 1, max = 253), pattern(r"(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)")))]
    pub allow_origins: Vec<String>,
    /// Response headers the browser may read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64), extend("uniqueItems" = true), inner(length(min = 1, max = 256), pattern(r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$")))]
    pub expose_headers: Vec<String>,
    /// Seconds a browser may cache the preflight result; default 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_age: Option<i32>,
}

/// `HTTPRoute.spec.rules[].backendRefs[].filters[].requestRedirect` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestRedirect {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Hostname of the redirect location; the request's by default.
    pub hostname: Option<String>,
    /// Path of the redirect location, replaced whole or by prefix; the request's by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Path>,
    /// Port of the redirect location; derived from the scheme or the listener when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
    /// Scheme of the redirect location: `http` or `https`; the request's by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<RequestRedirectScheme>,
    /// HTTP status of the redirect: 301 (the default), 302, 303, 307 or 308.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = [301, 302, 303, 307, 308]))]
    pub status_code: Option<i64>,
}

/// `HTTPRoute.spec.rules[].backendRefs[].filters[].requestRedirect.path` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["type"]))]
pub struct Path {
    /// Path that replaces the whole request path; for type `ReplaceFullPath`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub replace_full_path: Option<String>,
    /// Replaces the prefix the rule matched; for type `ReplacePrefixMatch`, which needs exactly
    /// one `PathPrefix` match.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub replace_prefix_match: Option<String>,
    /// `ReplaceFullPath` or `ReplacePrefixMatch` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<PathType>,
}

/// `HTTPRoute.spec.rules[].backendRefs[].filters[].urlRewrite` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UrlRewrite {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Value that replaces the Host header.
    pub hostname: Option<String>,
    /// Replaces the whole path or the matched prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Path>,
}

/// `HTTPRoute.spec.rules[].matches[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Match {
    /// Conditions on request headers; all must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), extend("x-kubernetes-list-map-keys" = ["name"]))]
    pub headers: Vec<Header>,
    /// HTTP method the request must use (`GET`, `POST`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<MatchMethod>,
    /// Condition on the request path; `PathPrefix /` by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<MatchPath>,
    /// Conditions on query parameters; all must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), extend("x-kubernetes-list-map-keys" = ["name"]))]
    pub query_params: Vec<QueryParam>,
}

/// `HTTPRoute.spec.rules[].matches[].path` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MatchPath {
    /// `Exact`, `PathPrefix` (the default; matches whole path segments) or `RegularExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<MatchPathType>,
    /// Path to match; starts with `/` for `Exact` and `PathPrefix`. Default `/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub value: Option<String>,
}

/// `HTTPRoute.spec.rules[].matches[].queryParams[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name", "value"]))]
pub struct QueryParam {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 256),
        pattern(r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$")
    )]
    /// Query parameter name, matched exactly (case-sensitive).
    pub name: Option<String>,
    /// How `value` is compared: `Exact` (the default) or `RegularExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<QueryParamType>,
    /// Value to compare the parameter with.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 1024))]
    pub value: Option<String>,
}

/// `HTTPRoute.spec.rules[].timeouts` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Timeout {
    /// Timeout for each request the gateway sends to a backend (each retry is one), as a
    /// Gateway API duration (`1s`, `500ms`); at most `request`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$"))]
    pub backend_request: Option<String>,
    /// Timeout for the whole request from the client, as a Gateway API duration (`10s`); `0s`
    /// disables it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$"))]
    pub request: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum CorsAllowMethod {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "HEAD")]
    Head,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "DELETE")]
    Delete,
    #[serde(rename = "CONNECT")]
    Connect,
    #[serde(rename = "OPTIONS")]
    Options,
    #[serde(rename = "TRACE")]
    Trace,
    #[serde(rename = "PATCH")]
    Patch,
    #[serde(rename = "*")]
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum PathType {
    #[serde(rename = "ReplaceFullPath")]
    ReplaceFullPath,
    #[serde(rename = "ReplacePrefixMatch")]
    ReplacePrefixMatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum RequestRedirectScheme {
    #[serde(rename = "http")]
    Http,
    #[serde(rename = "https")]
    Https,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum FilterType {
    #[serde(rename = "RequestHeaderModifier")]
    RequestHeaderModifier,
    #[serde(rename = "ResponseHeaderModifier")]
    ResponseHeaderModifier,
    #[serde(rename = "RequestMirror")]
    RequestMirror,
    #[serde(rename = "RequestRedirect")]
    RequestRedirect,
    #[serde(rename = "URLRewrite")]
    UrlRewrite,
    #[serde(rename = "ExtensionRef")]
    ExtensionRef,
    #[serde(rename = "CORS")]
    Cors,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum MatchMethod {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "HEAD")]
    Head,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "DELETE")]
    Delete,
    #[serde(rename = "CONNECT")]
    Connect,
    #[serde(rename = "OPTIONS")]
    Options,
    #[serde(rename = "TRACE")]
    Trace,
    #[serde(rename = "PATCH")]
    Patch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum MatchPathType {
    #[serde(rename = "Exact")]
    Exact,
    #[serde(rename = "PathPrefix")]
    PathPrefix,
    #[serde(rename = "RegularExpression")]
    RegularExpression,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum QueryParamType {
    #[serde(rename = "Exact")]
    Exact,
    #[serde(rename = "RegularExpression")]
    RegularExpression,
}
