//! The `ReferenceGrant` spec, field for field as the Gateway API's standard channel
//! serves it (v1, v1beta1). Generated once from the CRD schemas, then kept by hand.

use super::*;

/// `ReferenceGrant.spec` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["from", "to"]))]
pub struct ReferenceGrantSpec {
    /// Resources in other namespaces allowed to refer to this namespace (1 to 16 entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 16))]
    pub from: Vec<From>,
    /// Resources in this namespace that may be referred to (1 to 16 entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 16))]
    pub to: Vec<To>,
}

/// `ReferenceGrant.spec.from[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["group", "kind", "namespace"]))]
pub struct From {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the referring resource, e.g. `gateway.networking.k8s.io` (empty for core).
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the referring resource, e.g. `HTTPRoute` or `Gateway`.
    pub kind: Option<String>,
    /// Namespace of the referring resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: Option<String>,
}

/// `ReferenceGrant.spec.to[]` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["group", "kind"]))]
pub struct To {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the referenced resource (empty for core, e.g. Services and Secrets).
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the referenced resource, e.g. `Service` or `Secret`.
    pub kind: Option<String>,
    /// Name of the one resource that may be referred to; any resource of the kind when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
}
