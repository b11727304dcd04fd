//! The `Gateway` spec, field for field as the Gateway API's standard channel
//! serves it (v1, v1beta1). Generated once from the CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `Gateway.spec` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["gatewayClassName", "listeners"]))]
pub struct GatewaySpec {
    /// Addresses requested for the Gateway (IPs or hostnames); the implementation assigns them
    /// when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub addresses: Vec<Address>,
    /// Which ListenerSets may attach listeners to this Gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_listeners: Option<AllowedListener>,
    /// GatewayClass that implements this Gateway, e.g. `istio` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub gateway_class_name: Option<String>,
    /// Labels, annotations and parameters for the resources the implementation creates for this
    /// Gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infrastructure: Option<Infrastructure>,
    /// Ports, protocols and hostnames the Gateway accepts traffic on (1 to 64); each name
    /// unique.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 64), extend("x-kubernetes-list-map-keys" = ["name"]))]
    pub listeners: Vec<Listener>,
    /// Gateway-wide TLS settings: client certificate validation and the certificate presented
    /// to backends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<GatewaySpecTls>,
}

/// `Gateway.spec.addresses[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Address {
    /// Kind of address: `IPAddress` (the default), `Hostname` or an implementation-specific
    /// domain-prefixed type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253), pattern(r"^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$"))]
    pub r#type: Option<String>,
    /// The address, in the form its type requires.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 253))]
    pub value: Option<String>,
}

/// `Gateway.spec.allowedListeners` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllowedListener {
    /// Namespaces whose ListenerSets may attach; none by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Namespace>,
}

/// `Gateway.spec.allowedListeners.namespaces` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Namespace {
    /// `Same` (this Gateway's namespace), `All`, `Selector` or `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NamespaceFrom>,
    /// Namespace labels to match when `from` is `Selector`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<Selector>,
}

/// `Gateway.spec.infrastructure` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Infrastructure {
    /// Annotations added to the resources created for the Gateway.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(extend("maxProperties" = 16), extend("additionalProperties" = {"type": "string", "minLength": 0, "maxLength": 4096}))]
    pub annotations: StringMap,
    /// Labels added to the resources created for the Gateway.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(extend("maxProperties" = 8), extend("additionalProperties" = {"type": "string", "minLength": 0, "maxLength": 63, "pattern": r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"}))]
    pub labels: StringMap,
    /// Implementation-specific configuration object (e.g. a ConfigMap) for this Gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters_ref: Option<ParametersRef>,
}

/// `Gateway.spec.infrastructure.parametersRef` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["group", "kind", "name"]))]
pub struct ParametersRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the configuration object.
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the configuration object.
    pub kind: Option<String>,
    /// Name of the configuration object, in the Gateway's namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
}

/// `Gateway.spec.tls` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewaySpecTls {
    /// TLS settings for connections from the Gateway to backends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<Backend>,
    /// TLS settings for connections from clients to the Gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frontend: Option<Frontend>,
}

/// `Gateway.spec.tls.backend` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Backend {
    /// Certificate the Gateway presents to backends that ask for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate_ref: Option<ClientCertificateRef>,
}

/// `Gateway.spec.tls.backend.clientCertificateRef` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct ClientCertificateRef {
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
    /// Name of the certificate object.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
    /// Namespace of the certificate object; the Gateway's own by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: Option<String>,
}

/// `Gateway.spec.tls.frontend` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["default"]))]
pub struct Frontend {
    /// Client certificate validation for every HTTPS listener without a per-port setting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Default>,
    /// Client certificate validation for single ports, overriding `default`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64), extend("x-kubernetes-list-map-keys" = ["port"]))]
    pub per_port: Vec<PerPort>,
}

/// `Gateway.spec.tls.frontend.default` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Default {
    /// How client certificates are verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
}

/// `Gateway.spec.tls.frontend.default.validation` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["caCertificateRefs"]))]
pub struct Validation {
    /// CA bundles (ConfigMaps or Secrets) that verify client certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 16))]
    pub ca_certificate_refs: Vec<CaCertificateRef>,
    /// `AllowValidOnly` (the default: a valid client certificate is required) or
    /// `AllowInsecureFallback` (connections without one are let through).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<ValidationMode>,
}

/// `Gateway.spec.tls.frontend.default.validation.caCertificateRefs[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["group", "kind", "name"]))]
pub struct CaCertificateRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the CA bundle object; empty means the core group.
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the CA bundle object, e.g. `ConfigMap`.
    pub kind: Option<String>,
    /// Name of the CA bundle object.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
    /// Namespace of the CA bundle object; the Gateway's own by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: Option<String>,
}

/// `Gateway.spec.tls.frontend.perPort[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["port", "tls"]))]
pub struct PerPort {
    /// Port the setting applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i32>,
    /// Client certificate validation for this port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<PerPortTls>,
}

/// `Gateway.spec.tls.frontend.perPort[].tls` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PerPortTls {
    /// How client certificates are verified on this port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum NamespaceFrom {
    #[serde(rename = "All")]
    All,
    #[serde(rename = "Selector")]
    Selector,
    #[serde(rename = "Same")]
    Same,
    #[serde(rename = "None")]
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ValidationMode {
    #[serde(rename = "AllowValidOnly")]
    AllowValidOnly,
    #[serde(rename = "AllowInsecureFallback")]
    AllowInsecureFallback,
}
