//! What the commands that read a live cluster share (analyze, diff
//! --cluster): the cluster's MeshConfig, the note for kinds it does not
//! serve, and local files laid over cluster objects.

use std::collections::HashSet;

use super::output::note;
use crate::cluster::{ClusterRead, config_map_data};
use crate::loader::{Limits, SourceFile, parse_documents};
use crate::model::{Object, split_api_version};
use crate::snapshot::MeshConfig;

/// The ConfigMap whose `mesh` key is the cluster's MeshConfig.
pub const MESH_CONFIG_MAP: &str = "istio";

/// The MeshConfig of the cluster's `istio` ConfigMap; Istio's defaults
/// when it has none.
pub fn cluster_mesh_config(read: &ClusterRead, root: &str) -> Result<MeshConfig, String> {
    let config_map = read.objects.iter().find(|o| {
        o.kind == "ConfigMap" && o.name == MESH_CONFIG_MAP && o.namespace.as_deref() == Some(root)
    });
    let Some(text) = config_map.and_then(|c| config_map_data(c).remove("mesh")) else {
        return Ok(MeshConfig::default());
    };
    let name = format!("ConfigMap {root}/{MESH_CONFIG_MAP} (key mesh)");
    let source = SourceFile::new(&name, text);
    let root_node = parse_documents(&source, &Limits::default())
        .into_iter()
        .find_map(|d| d.root);
    match root_node {
        Some(node) => MeshConfig::from_node(&node).map_err(|e| format!("{name}:{e}")),
        None => Ok(MeshConfig::default()),
    }
}

/// One note for the requested kinds the cluster does not serve (their CRD
/// is not installed): they are read as none.
pub fn note_not_served(read: &ClusterRead) {
    if read.not_served.is_empty() {
        return;
    }
    let kinds: Vec<String> = read
        .not_served
        .iter()
        .map(|k| {
            format!(
                "{} ({})",
                k.kind,
                if k.group.is_empty() { "core" } else { k.group }
            )
        })
        .collect();
    note(&format!(
        "the cluster does not serve {}: read as none",
        kinds.join(", ")
    ));
}

/// The cluster's objects, without those a local file replaces (same API
/// group, kind, namespace and name).
pub fn overlaid(cluster: Vec<Object>, local: &[Object]) -> Vec<Object> {
    let key = |o: &Object| {
        (
            split_api_version(&o.api_version).0.to_string(),
            o.kind.clone(),
            o.namespace.clone(),
            o.name.clone(),
        )
    };
    let replaced: HashSet<_> = local.iter().map(key).collect();
    cluster
        .into_iter()
        .filter(|o| !replaced.contains(&key(o)))
        .collect()
}
