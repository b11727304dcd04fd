//! The `Gateway` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `Gateway` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewaySpec {
    /// Labels of the gateway pods (e.g. `istio: ingressgateway`) this configuration is applied
    /// to; searched in every namespace unless istiod restricts it to the Gateway's own.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub selector: StringMap,
    /// Listeners the gateway exposes: port, protocol, hosts and TLS settings for each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
}

/// `Gateway.servers[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
// schemars leaves defaulted lists out of `required`; Istio requires this one.
#[schemars(extend("required" = ["port", "hosts"]))]
pub struct Server {
    /// IP address or Unix domain socket (`unix:///path` or `unix://@name`) the listener binds
    /// to; all addresses by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    /// Where traffic is forwarded (`127.0.0.1:PORT`, `0.0.0.0:PORT` or a Unix socket);
    /// reserved, not implemented by Istio for gateways.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_endpoint: Option<String>,
    /// Hosts this server exposes, as `namespace/dnsName` (`*/` or no namespace means any; `./`
    /// means the Gateway's namespace); the DNS name may be a wildcard such as `*.example.com`.
    /// Required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(required)]
    pub hosts: Vec<String>,
    /// Optional unique name of the server, used in the proxy's statistics and to refer to the
    /// server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Port the proxy listens on, with its protocol (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub port: Option<Port>,
    /// TLS settings: termination, passthrough, mutual TLS, or an HTTPS redirect for plain HTTP
    /// servers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ServerTlsSettings>,
}

/// `Gateway.servers[*].port` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Port {
    /// Label for the port.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub name: Option<String>,
    /// Port number (1-65535) the gateway listens on (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub number: Option<u32>,
    /// Protocol served: `HTTP`, `HTTPS`, `GRPC`, `GRPC-WEB`, `HTTP2`, `MONGO`, `TCP` or `TLS`
    /// (required). `TLS` means the connection is routed by SNI without termination.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub protocol: Option<String>,
    /// Port of the workload the traffic is sent to; only for ServiceEntry ports (deprecated
    /// elsewhere).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<u32>,
}

/// `Gateway.servers[*].tls` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServerTlsSettings {
    /// For mutual TLS, the name of a Secret or ConfigMap with the CA certificates that verify
    /// clients, when they are kept apart from `credentialName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_cert_credential_name: Option<String>,
    /// File path of the CA bundle that verifies client certificates in `MUTUAL` mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_certificates: Option<String>,
    /// File path of a certificate revocation list checked against client certificates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_crl: Option<String>,
    /// Cipher suites offered; Envoy's defaults when unset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cipher_suites: Vec<String>,
    /// Name of a Kubernetes Secret (in the gateway's namespace) holding the server certificate,
    /// key and, for mutual TLS, the CA; only for gateways, in place of the file paths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_name: Option<String>,
    /// Like `credentialName`, but several Secrets (e.g. one RSA and one ECDSA certificate); at
    /// most two.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 2))]
    pub credential_names: Vec<String>,
    /// ECDH curves offered; Envoy's defaults when unset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ecdh_curves: Vec<String>,
    /// Answers every plain HTTP request with a 301 redirect to HTTPS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https_redirect: Option<bool>,
    /// Still verifies the client certificate, but lets the connection through when
    /// verification fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insecure_skip_verify: Option<bool>,
    /// Highest TLS version accepted: `TLS_AUTO`, `TLSV1_0`, `TLSV1_1`, `TLSV1_2` or `TLSV1_3`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_protocol_version: Option<TlsProtocol>,
    /// Lowest TLS version accepted: `TLS_AUTO`, `TLSV1_0`, `TLSV1_1`, `TLSV1_2` or `TLSV1_3`;
    /// TLS 1.2 by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_protocol_version: Option<TlsProtocol>,
    /// How TLS is handled: `PASSTHROUGH` (route by SNI, no termination), `SIMPLE` (terminate),
    /// `MUTUAL` (terminate and require a client certificate), `AUTO_PASSTHROUGH` (passthrough
    /// routed by the SNI alone), `ISTIO_MUTUAL` (mTLS with Istio's certificates) or
    /// `OPTIONAL_MUTUAL` (verify a client certificate when one is sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<ServerTlsMode>,
    /// File path of the server's private key; needed in `SIMPLE` and `MUTUAL` modes unless a
    /// credential name is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    /// File path of the server certificate; needed in `SIMPLE` and `MUTUAL` modes unless a
    /// credential name is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_certificate: Option<String>,
    /// Names a client certificate's subject alternative names must include.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
    /// Several certificate and key pairs given as file paths (e.g. RSA and ECDSA); excludes the
    /// other certificate fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 2))]
    pub tls_certificates: Vec<TlsCertificate>,
    /// Hex-encoded SHA-256 hashes of the client certificates that are allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify_certificate_hash: Vec<String>,
    /// Base64-encoded SHA-256 hashes of the public keys (SPKI) of the client certificates that
    /// are allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify_certificate_spki: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TlsProtocol {
    #[serde(rename = "TLS_AUTO")]
    TlsAuto,
    #[serde(rename = "TLSV1_0")]
    Tlsv10,
    #[serde(rename = "TLSV1_1")]
    Tlsv11,
    #[serde(rename = "TLSV1_2")]
    Tlsv12,
    #[serde(rename = "TLSV1_3")]
    Tlsv13,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ServerTlsMode {
    #[serde(rename = "PASSTHROUGH")]
    Passthrough,
    #[serde(rename = "SIMPLE")]
    Simple,
    #[serde(rename = "MUTUAL")]
    Mutual,
    #[serde(rename = "AUTO_PASSTHROUGH")]
    AutoPassthrough,
    #[serde(rename = "ISTIO_MUTUAL")]
    IstioMutual,
    #[serde(rename = "OPTIONAL_MUTUAL")]
    OptionalMutual,
}

/// `Gateway.servers[*].tls.tlsCertificates[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsCertificate {
    /// File path of the CA bundle for this pair (reserved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_certificates: Option<String>,
    /// File path of the private key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    /// File path of the certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_certificate: Option<String>,
}
