//! The `BackendTLSPolicy` spec, field for field as the Gateway API's standard channel
//! serves it (v1). Generated once from the CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `BackendTLSPolicy.spec` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["targetRefs", "validation"]))]
pub struct BackendTlsPolicySpec {
    /// Implementation-specific TLS settings, as string keys and values.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(extend("maxProperties" = 16), extend("additionalProperties" = {"type": "string", "minLength": 0, "maxLength": 4096}))]
    pub options: StringMap,
    /// Services (optionally one port, by `sectionName`) the policy applies to (1 to 16).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 16))]
    pub target_refs: Vec<TargetRef>,
    /// How the Gateway verifies the backend's certificate (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<Validation>,
}

/// `BackendTLSPolicy.spec.targetRefs[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["group", "kind", "name"]))]
pub struct TargetRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the target (empty for a Service).
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the target, e.g. `Service`.
    pub kind: Option<String>,
    /// Name of the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Port name of the target the policy applies to; every port when unset.
    pub section_name: Option<String>,
}

/// `BackendTLSPolicy.spec.validation` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["hostname"]))]
pub struct Validation {
    /// CA bundles (ConfigMaps) that verify the backend's certificate; excludes
    /// `wellKnownCACertificates`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 8))]
    pub ca_certificate_refs: Vec<CaCertificateRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// Name sent as SNI and checked against the backend's certificate (required).
    pub hostname: Option<String>,
    /// Names the backend certificate must carry instead of `hostname` (at most 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 5))]
    pub subject_alt_names: Vec<SubjectAltName>,
    #[serde(
        rename = "wellKnownCACertificates",
        skip_serializing_if = "Option::is_none"
    )]
    /// `System`: verify with the Gateway's system CA roots; excludes `caCertificateRefs`.
    #[schemars(length(min = 1, max = 253), pattern(r"^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$"))]
    pub well_known_ca_certificates: Option<String>,
}

/// `BackendTLSPolicy.spec.validation.caCertificateRefs[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["group", "kind", "name"]))]
pub struct CaCertificateRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the CA bundle object (empty for core).
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the CA bundle object, e.g. `ConfigMap`.
    pub kind: Option<String>,
    /// Name of the CA bundle object, in the policy's namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
}

/// `BackendTLSPolicy.spec.validation.subjectAltNames[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["type"]))]
pub struct SubjectAltName {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// DNS name the certificate must carry; for type `Hostname`.
    pub hostname: Option<String>,
    /// `Hostname` or `URI` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<SubjectAltNameType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 253),
        pattern(r"^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\?([^#]*))?(#(.*))?")
    )]
    /// URI the certificate must carry, e.g. a SPIFFE ID; for type `URI`.
    pub uri: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum SubjectAltNameType {
    #[serde(rename = "Hostname")]
    Hostname,
    #[serde(rename = "URI")]
    Uri,
}
