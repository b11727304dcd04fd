//! MeshNetworks (`--mesh-networks`, istiod's `meshNetworks` setting): the
//! networks of a multi-network mesh, which endpoints belong to each and
//! the gateways that reach them. Fields are read under their JSON names
//! and their proto names (`registry_service_name`), as istiod reads them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::loader::{Node, SourceFile};

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MeshNetworks {
    pub networks: BTreeMap<String, Network>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Network {
    pub endpoints: Vec<NetworkEndpoints>,
    pub gateways: Vec<NetworkGateway>,
}

/// One of `fromCidr` or `fromRegistry` (a proto one-of).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NetworkEndpoints {
    #[serde(alias = "from_cidr")]
    pub from_cidr: Option<String>,
    #[serde(alias = "from_registry")]
    pub from_registry: Option<String>,
}

/// One of `registryServiceName` or `address` (a proto one-of), and a port.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NetworkGateway {
    #[serde(alias = "registry_service_name")]
    pub registry_service_name: Option<String>,
    pub address: Option<String>,
    pub port: u32,
    pub locality: Option<String>,
}

/// A MeshNetworks file as read: the networks, and the file and tree that
/// findings about it point into.
#[derive(Debug, Clone)]
pub struct MeshNetworksFile {
    pub networks: MeshNetworks,
    pub source: Arc<SourceFile>,
    pub root: Node,
}

impl PartialEq for MeshNetworksFile {
    /// One file, one configuration: its name and networks say which.
    fn eq(&self, other: &Self) -> bool {
        self.source.name == other.source.name && self.networks == other.networks
    }
}
