//! The `RequestAuthentication` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;

/// `RequestAuthentication` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestAuthenticationSpec {
    /// JWT issuers accepted and how their tokens are found and checked. A request with an
    /// invalid token is rejected; one without a token is let through unless an
    /// AuthorizationPolicy requires a request principal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 4096))]
    pub jwt_rules: Vec<JwtRule>,
    /// Workloads this policy applies to, by label; the whole namespace when unset (the whole
    /// mesh in the root namespace). Excludes `targetRefs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<WorkloadSelector>,
    /// Deprecated single form of `targetRefs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<PolicyTargetReference>,
    /// Resources the policy attaches to instead of a selector: a Gateway API Gateway, a Service
    /// or a ServiceEntry, or a GatewayClass in the root namespace. Excludes `selector`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub target_refs: Vec<PolicyTargetReference>,
}

/// `RequestAuthentication.jwtRules[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtRule {
    /// Audiences (`aud` claim) accepted; any audience when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    /// Whether the token is kept in the request forwarded to the workload; it is removed by
    /// default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forward_original_token: Option<bool>,
    /// Cookie names the token is read from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_cookies: Vec<String>,
    /// Headers the token is read from, with an optional prefix to strip; `Authorization:
    /// Bearer` is the default when no location is given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_headers: Vec<JwtHeader>,
    /// Query parameter names the token is read from; `access_token` is the default when no
    /// location is given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_params: Vec<String>,
    /// Issuer of the token (`iss` claim), usually a URL or an email address (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub issuer: Option<String>,
    /// The JSON Web Key Set, inline; excludes `jwksUri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks: Option<String>,
    /// Deprecated snake_case spelling of `jwksUri`.
    #[serde(rename = "jwks_uri", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 2048))]
    pub jwks_uri_legacy: Option<String>,
    /// URL of the provider's public key set; found by OpenID discovery from the issuer when
    /// neither this nor `jwks` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 2048))]
    pub jwks_uri: Option<String>,
    /// Copies claims of a valid token into request headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output_claim_to_headers: Vec<ClaimToHeader>,
    /// Header that receives the base64-encoded payload of a valid token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_payload_to_header: Option<String>,
    /// Whether a token of this issuer must be present: `OPTIONAL` or `REQUIRED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence: Option<JwtPresence>,
    /// Claims besides `scope` and `permission` whose string values are lists separated by
    /// spaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64))]
    pub space_delimited_claims: Vec<String>,
    /// Timeout for fetching the key set from `jwksUri`, as a duration; default 5s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// `RequestAuthentication.jwtRules[*].presence`: whether a request without
/// the token is let through (to be judged by authorization) or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum JwtPresence {
    #[serde(rename = "OPTIONAL")]
    Optional,
    #[serde(rename = "REQUIRED")]
    Required,
}

/// `RequestAuthentication.jwtRules[*].fromHeaders[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtHeader {
    /// Header name (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(min = 1))]
    pub name: Option<String>,
    /// Prefix removed from the header value before the token is read (e.g. `Bearer `).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// `RequestAuthentication.jwtRules[*].outputClaimToHeaders[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimToHeader {
    /// Claim to copy; nested claims are written with dots (`a.b`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(min = 1))]
    pub claim: Option<String>,
    /// Name of the header to write the claim into (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(min = 1), pattern(r"^[-_A-Za-z0-9]+$"))]
    pub header: Option<String>,
}
