//! The `ServiceEntry` spec, field for field as Istio's API serves it.
//! Generated once from the published CRD schemas, then kept by hand.

use super::*;
use crate::model::StringMap;

/// `ServiceEntry` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
// schemars leaves defaulted lists out of `required`; Istio requires this one.
#[schemars(extend("required" = ["hosts"]))]
pub struct ServiceEntrySpec {
    /// Virtual IPs or CIDR blocks of the service; for TCP traffic, connections to these
    /// addresses are matched to this entry. Not used for HTTP, which is matched by host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 256))]
    pub addresses: Vec<String>,
    /// Endpoints of the service, given inline; excludes `workloadSelector`. Needed for `STATIC`
    /// resolution.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 4096))]
    pub endpoints: Vec<WorkloadEntry>,
    /// Namespaces this ServiceEntry is visible to: `.` for its own namespace, `*` for all (the
    /// default when empty), or namespace names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub export_to: Vec<String>,
    /// Hosts of the service: DNS names (wildcards allowed), matched against the HTTP
    /// Host/Authority or the TLS SNI; required. IP addresses are not allowed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(required, length(min = 1, max = 256))]
    pub hosts: Vec<String>,
    /// Whether the service is part of the mesh: `MESH_EXTERNAL` (outside the mesh, no mTLS; the
    /// default) or `MESH_INTERNAL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Ports of the service; the protocol is taken from each port's `protocol` or name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 256))]
    pub ports: Vec<ServicePort>,
    /// How endpoint addresses are found: `NONE` (use the destination address as is), `STATIC`
    /// (the endpoints' addresses), `DNS` (resolve asynchronously, all addresses),
    /// `DNS_ROUND_ROBIN` (resolve, use one address at a time) or `DYNAMIC_DNS` (resolve per
    /// request, for wildcard hosts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Names the service's certificate may present; checked when the client verifies the server
    /// in mTLS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
    /// Selects pods and WorkloadEntries by label as the endpoints, for `MESH_INTERNAL` entries;
    /// excludes `endpoints`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload_selector: Option<EntryWorkloadSelector>,
}

/// `ServiceEntry.endpoints[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadEntry {
    /// Address of the workload without a port: an IP, a DNS name, or a Unix socket
    /// (`unix:///path`); may be empty only when `network` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 256))]
    pub address: Option<String>,
    /// Labels of the workload, matched by subsets, selectors and policies.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub labels: StringMap,
    /// Failure domain of the workload, as `region/zone/subzone`, for locality load balancing.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub locality: Option<String>,
    /// Network the workload is on, so that endpoints on other networks are reached through
    /// their gateways.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub network: Option<String>,
    /// Port of the workload for each service port name, when it differs from the service's port
    /// number.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub ports: StringMap<u32>,
    /// Kubernetes service account of the workload, in the same namespace; gives it its mTLS
    /// identity.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 253))]
    pub service_account: Option<String>,
    /// Relative load-balancing weight of this endpoint; higher values get more traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Location {
    #[serde(rename = "MESH_EXTERNAL")]
    MeshExternal,
    #[serde(rename = "MESH_INTERNAL")]
    MeshInternal,
}

/// `ServiceEntry.ports[*]` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServicePort {
    /// Port name (required), unique within the entry; can carry the protocol (`http-web`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required, length(max = 256))]
    pub name: Option<String>,
    /// Port number (1-65535) the service is reached on (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(required)]
    pub number: Option<u32>,
    /// Protocol of the port: `HTTP`, `HTTPS`, `GRPC`, `HTTP2`, `MONGO`, `TCP` or `TLS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 256))]
    pub protocol: Option<String>,
    /// Port the endpoints receive traffic on, when it differs from `number`; an endpoint's own
    /// `ports` entry overrides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Resolution {
    #[serde(rename = "NONE")]
    None,
    #[serde(rename = "STATIC")]
    Static,
    #[serde(rename = "DNS")]
    Dns,
    #[serde(rename = "DNS_ROUND_ROBIN")]
    DnsRoundRobin,
    #[serde(rename = "DYNAMIC_DNS")]
    DynamicDns,
}

/// `ServiceEntry.workloadSelector` in the Istio API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntryWorkloadSelector {
    /// Labels a workload must carry (all of them) to be selected; no wildcards.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub labels: StringMap,
}
