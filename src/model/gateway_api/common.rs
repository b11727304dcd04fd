//! Types several Gateway API kinds share, field for field alike in each.

use super::*;
use crate::model::StringMap;

/// `Add` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name", "value"]))]
pub struct Add {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 256),
        pattern(r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$")
    )]
    /// Header name, matched case-insensitively.
    pub name: Option<String>,
    /// Value appended to the header.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 4096))]
    pub value: Option<String>,
}

/// `BackendRef` of TCPRoute, TLSRoute, UDPRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct BackendRef {
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

/// `CertificateRef` of Gateway, ListenerSet in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct CertificateRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the certificate object; empty means the core group (a Secret).
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the certificate object; `Secret` by default.
    pub kind: Option<String>,
    /// Name of the object holding the certificate and key (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
    /// Namespace of the object; the Gateway's own by default. Another namespace needs a
    /// ReferenceGrant there.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: Option<String>,
}

/// `ExtensionRef` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["group", "kind", "name"]))]
pub struct ExtensionRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the implementation-specific filter resource (required).
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the filter resource (required).
    pub kind: Option<String>,
    /// Name of the filter resource (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
}

/// `Fraction` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["numerator"]))]
pub struct Fraction {
    /// Denominator of the fraction; default 100, at least 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub denominator: Option<i32>,
    /// Numerator of the fraction (required); at most the denominator.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub numerator: Option<i32>,
}

/// `Header` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name", "value"]))]
pub struct Header {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 256),
        pattern(r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$")
    )]
    /// Header name, matched case-insensitively; when the same name is listed twice, only the
    /// first entry counts.
    pub name: Option<String>,
    /// How `value` is compared: `Exact` (the default) or `RegularExpression`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<HeaderType>,
    /// Value to compare the header with.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 4096))]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum HeaderType {
    #[serde(rename = "Exact")]
    Exact,
    #[serde(rename = "RegularExpression")]
    RegularExpression,
}

/// `Kind` of Gateway, ListenerSet in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["kind"]))]
pub struct Kind {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the route kind; `gateway.networking.k8s.io` by default.
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Route kind, e.g. `HTTPRoute` (required).
    pub kind: Option<String>,
}

/// `MatchExpression` of Gateway, ListenerSet in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["key", "operator"]))]
pub struct MatchExpression {
    /// Label key the requirement applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Label values: needed for `In` and `NotIn`, empty for `Exists` and `DoesNotExist`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// `ParentRef` of HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct ParentRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the parent; `gateway.networking.k8s.io` by default, empty for a Service
    /// (mesh routing).
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the parent: `Gateway` by default, `Service` for mesh (GAMMA) routing, or
    /// `ListenerSet`.
    pub kind: Option<String>,
    /// Name of the parent (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
    /// Namespace of the parent; the route's own by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: Option<String>,
    /// Attaches only to the listeners (or the Service port) with this port number.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Attaches only to the listener with this name (or the Service port with this name).
    pub section_name: Option<String>,
}

impl ParentRef {
    /// A mesh (GAMMA) parent: a Service (group `""`), whose routes steer
    /// the traffic sidecars send to it rather than a gateway's.
    pub fn is_service(&self) -> bool {
        self.group.as_deref() == Some("") && self.kind.as_deref() == Some("Service")
    }
}

/// `RequestHeaderModifier` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestHeaderModifier {
    /// Headers to append to the request, keeping existing values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), extend("x-kubernetes-list-map-keys" = ["name"]))]
    pub add: Vec<Add>,
    /// Names of request headers to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), extend("uniqueItems" = true))]
    pub remove: Vec<String>,
    /// Request headers to set, replacing existing values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), extend("x-kubernetes-list-map-keys" = ["name"]))]
    pub set: Vec<Set>,
}

/// `RequestMirror` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["backendRef"]))]
pub struct RequestMirror {
    /// Backend that receives the copies (required); its responses are ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend_ref: Option<RequestMirrorBackendRef>,
    /// Share of requests mirrored, as a fraction; excludes `percent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction: Option<Fraction>,
    /// Percentage (0-100) of requests mirrored; all of them when neither this nor `fraction` is
    /// set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub percent: Option<i32>,
}

/// `RequestMirrorBackendRef` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct RequestMirrorBackendRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the backend; empty means the core group (a Service).
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
    /// Namespace of the backend; the route's own by default (another needs a ReferenceGrant).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: Option<String>,
    /// Port of the backend; required for a Service.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
}

/// `ResponseHeaderModifier` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResponseHeaderModifier {
    /// Headers to append to the response, keeping existing values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), extend("x-kubernetes-list-map-keys" = ["name"]))]
    pub add: Vec<Add>,
    /// Names of response headers to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), extend("uniqueItems" = true))]
    pub remove: Vec<String>,
    /// Response headers to set, replacing existing values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), extend("x-kubernetes-list-map-keys" = ["name"]))]
    pub set: Vec<Set>,
}

/// `Rule` of TCPRoute, TLSRoute, UDPRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["backendRefs"]))]
pub struct Rule {
    /// Backends the connection is forwarded to, with weights.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 16))]
    pub backend_refs: Vec<BackendRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Optional name of the rule, unique within the route.
    pub name: Option<String>,
}

/// `Selector` of Gateway, ListenerSet in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Selector {
    /// Label requirements; all must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<MatchExpression>,
    /// Labels that must all be present with these values.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub match_labels: StringMap,
}

/// `Set` of HTTPRoute, GRPCRoute in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name", "value"]))]
pub struct Set {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 256),
        pattern(r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$")
    )]
    /// Header name, matched case-insensitively.
    pub name: Option<String>,
    /// Value that replaces the header's current value.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 4096))]
    pub value: Option<String>,
}

/// `Tls` of Gateway, ListenerSet in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tls {
    /// Certificates the listener serves when terminating TLS (usually Secrets); at most 64.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64))]
    pub certificate_refs: Vec<CertificateRef>,
    /// `Terminate` (the default: decrypt at the Gateway) or `Passthrough` (forward the
    /// encrypted stream, routed by SNI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<TlsMode>,
    /// Implementation-specific TLS settings, as string keys and values.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(extend("maxProperties" = 16), extend("additionalProperties" = {"type": "string", "minLength": 0, "maxLength": 4096}))]
    pub options: StringMap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TlsMode {
    #[serde(rename = "Terminate")]
    Terminate,
    #[serde(rename = "Passthrough")]
    Passthrough,
}

/// `Gateway.spec.listeners[]` and `ListenerSet.spec.listeners[]` in the
/// Gateway API (the same schema).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name", "port", "protocol"]))]
pub struct Listener {
    /// Which routes may attach to this listener: their namespaces and kinds. Routes from the
    /// Gateway's namespace only, by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_routes: Option<AllowedRoute>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Hostname the listener serves (wildcards like `*.example.com` allowed); all hostnames
    /// when unset. Not used with TCP and UDP.
    pub hostname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Name of the listener (required), unique in the Gateway; routes attach to it by
    /// `sectionName`.
    pub name: Option<String>,
    /// Port the listener accepts traffic on (1-65535, required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
    /// Protocol accepted: `HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP` or a domain-prefixed
    /// implementation protocol (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255), pattern(r"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$"))]
    pub protocol: Option<String>,
    /// TLS settings; required for `HTTPS` and `TLS` listeners.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<Tls>,
}

/// `allowedRoutes` of a Gateway's or a ListenerSet's listener.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllowedRoute {
    /// Route kinds that may attach; the ones matching the protocol by default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 8))]
    pub kinds: Vec<Kind>,
    /// Namespaces routes may attach from; `Same` by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<AllowedRouteNamespace>,
}

/// `allowedRoutes.namespaces` of a Gateway's or a ListenerSet's listener.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllowedRouteNamespace {
    /// `Same` (the Gateway's namespace, the default), `All`, `Selector` or `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<AllowedRouteNamespaceFrom>,
    /// Namespace labels to match when `from` is `Selector`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<Selector>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum AllowedRouteNamespaceFrom {
    #[serde(rename = "All")]
    All,
    #[serde(rename = "Selector")]
    Selector,
    #[serde(rename = "Same")]
    Same,
}
