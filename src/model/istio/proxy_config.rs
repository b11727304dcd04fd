//! The `ProxyConfig` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `ProxyConfig` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyConfigSpec {
    /// Number of proxy worker threads; 0 uses one per CPU core. Istio's default is 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub concurrency: Option<i32>,
    /// Environment variables set on the proxy, by name.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    #[schemars(inner(length(max = 2048)))]
    pub environment_variables: StringMap,
    /// Proxy image variant to inject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ProxyImage>,
    /// Workloads the settings apply to, by label; every workload of the namespace when unset
    /// (the whole mesh in the root namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<WorkloadSelector>,
}

/// `ProxyConfig.image`: the proxy image's type (`default`, `distroless`, ...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyImage {
    /// Image variant: `default`, `debug` or `distroless`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
}
