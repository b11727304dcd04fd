//! The `Sidecar` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;

/// `Sidecar` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SidecarSpec {
    /// Outbound traffic the sidecar is configured for: which hosts and ports it can reach. When
    /// set, services not listed are not configured in the proxy. Unset means everything visible
    /// to the namespace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egress: Vec<IstioEgressListener>,
    /// Connection limits for all inbound traffic to the workload; an ingress listener's own
    /// `connectionPool` overrides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbound_connection_pool: Option<ConnectionPoolSettings>,
    /// Inbound listeners of the workload: ports it accepts traffic on and where the traffic
    /// goes. Unset means the ports of the workload's Services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<IstioIngressListener>,
    /// What the sidecar does with traffic to destinations it does not know; overrides the mesh-
    /// wide setting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound_traffic_policy: Option<OutboundTrafficPolicy>,
    /// Workloads this Sidecar applies to, by label; without it, it applies to every workload in
    /// its namespace that no selector-based Sidecar matches (one such Sidecar per namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload_selector: Option<EntryWorkloadSelector>,
}

/// `Sidecar.egress[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
// schemars leaves defaulted lists out of `required`; Istio requires this one.
#[schemars(extend("required" = ["hosts"]))]
pub struct IstioEgressListener {
    /// IP address or Unix domain socket the listener binds to; the default depends on the
    /// capture mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    /// How traffic reaches this listener: `DEFAULT` (the environment's default), `IPTABLES`
    /// (redirected by iptables) or `NONE` (the application talks to the bind address directly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_mode: Option<CaptureMode>,
    /// Services the listener can reach, as `namespace/dnsName`: `*/` means any namespace, `./`
    /// the Sidecar's own, `~/` none; the DNS name may be `*` or a wildcard. Required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(required)]
    pub hosts: Vec<String>,
    /// Port of the listener; when unset, the ports of the imported services are used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<SidecarPort>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum CaptureMode {
    #[serde(rename = "DEFAULT")]
    Default,
    #[serde(rename = "IPTABLES")]
    Iptables,
    #[serde(rename = "NONE")]
    None,
}

/// `Sidecar.egress[*].port` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SidecarPort {
    /// Label for the port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Port number (1-65535).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Protocol served: `HTTP`, `HTTPS`, `GRPC`, `HTTP2`, `MONGO`, `TCP` or `TLS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Port of the workload the traffic is sent to (reserved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<u32>,
}

/// `Sidecar.ingress[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IstioIngressListener {
    /// IP address the listener binds to; all addresses by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    /// How traffic reaches this listener: `DEFAULT`, `IPTABLES` or `NONE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_mode: Option<CaptureMode>,
    /// Connection limits for traffic arriving on this port; overrides `inboundConnectionPool`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_pool: Option<ConnectionPoolSettings>,
    /// Where the traffic is forwarded inside the workload: `127.0.0.1:PORT`, `0.0.0.0:PORT` or
    /// a Unix socket (`unix:///path`). Forwarded to the workload's port when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_endpoint: Option<String>,
    /// Port the listener accepts traffic on (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub port: Option<SidecarPort>,
    /// TLS termination settings for this port; only `SIMPLE` and `MUTUAL` modes, with
    /// certificate files or credential names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ServerTlsSettings>,
}

/// `Sidecar.outboundTrafficPolicy` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutboundTrafficPolicy {
    /// Service that unknown outbound traffic is sent to in `ALLOW_ANY` mode (e.g. an egress
    /// proxy), instead of passing it through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress_proxy: Option<Destination>,
    /// `REGISTRY_ONLY` blocks traffic to hosts not in the service registry or the Sidecar's
    /// egress hosts; `ALLOW_ANY` passes it through (the default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<OutboundTrafficMode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum OutboundTrafficMode {
    #[serde(rename = "REGISTRY_ONLY")]
    RegistryOnly,
    #[serde(rename = "ALLOW_ANY")]
    AllowAny,
}
