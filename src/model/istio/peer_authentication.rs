//! The `PeerAuthentication` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `PeerAuthentication` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeerAuthenticationSpec {
    /// Mutual TLS setting for the selected workloads; inherited from the namespace or mesh-wide
    /// policy when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mtls: Option<MutualTls>,
    /// Mutual TLS settings per port number of the workload, overriding `mtls`; needs a
    /// `selector`.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(extend("minProperties" = 1))]
    pub port_level_mtls: StringMap<MutualTls>,
    /// Workloads this policy applies to, by label; the whole namespace when unset (the whole
    /// mesh in the root namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<WorkloadSelector>,
}

/// `PeerAuthentication.mtls` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MutualTls {
    /// `STRICT` (only mTLS accepted), `PERMISSIVE` (mTLS and plain text accepted), `DISABLE`
    /// (no mTLS) or `UNSET` (inherit from the parent policy; PERMISSIVE at the top).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<MtlsMode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum MtlsMode {
    #[serde(rename = "UNSET")]
    Unset,
    #[serde(rename = "DISABLE")]
    Disable,
    #[serde(rename = "PERMISSIVE")]
    Permissive,
    #[serde(rename = "STRICT")]
    Strict,
}
