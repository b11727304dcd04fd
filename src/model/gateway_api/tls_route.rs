//! The `TLSRoute` spec, field for field as the Gateway API's standard channel
//! serves it (v1). Generated once from the CRD schemas, then kept by hand.

use super::*;

/// `TLSRoute.spec` in the Gateway API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("required" = ["hostnames", "rules"]))]
pub struct TlsRouteSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(
        length(min = 1, max = 1024),
        inner(
            length(min = 1, max = 253),
            pattern(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        )
    )]
    /// SNI names the route serves; wildcards like `*.example.com` allowed. Every name when
    /// empty.
    pub hostnames: Vec<String>,
    /// Gateways or listeners the route attaches to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 32))]
    pub parent_refs: Vec<ParentRef>,
    /// Rules with the backends connections are forwarded to (1 to 16).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 1))]
    pub rules: Vec<Rule>,
}
