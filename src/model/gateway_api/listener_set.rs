//! The `ListenerSet` spec, field for field as the Gateway API's standard channel
//! serves it (v1). Generated once from the CRD schemas, then kept by hand.

use super::*;

/// `ListenerSet.spec` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["listeners", "parentRef"]))]
pub struct ListenerSetSpec {
    /// Listeners added to the parent Gateway (1 to 64), each name unique in the set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 64), extend("x-kubernetes-list-map-keys" = ["name"]))]
    pub listeners: Vec<Listener>,
    /// Gateway the listeners are added to (required); it must allow them in `allowedListeners`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_ref: Option<ParentRef>,
}

/// `ListenerSet.spec.parentRef` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct ParentRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        pattern(r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    /// API group of the parent; `gateway.networking.k8s.io` by default.
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        pattern(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    /// Kind of the parent; `Gateway` by default.
    pub kind: Option<String>,
    /// Name of the parent Gateway (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub name: Option<String>,
    /// Namespace of the parent Gateway; the ListenerSet's own by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63), pattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub namespace: Option<String>,
}
