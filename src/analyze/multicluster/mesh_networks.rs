//! MeshNetworks endpoints taken from a service registry the mesh does not
//! have (IST0126): no endpoint joins that network.

use std::collections::HashSet;

use super::super::{Analyzer, Report};

use crate::loader::{Node, Value};
use crate::report::{Example, Level, Origin, Rule};
use crate::snapshot::{MeshNetworksFile, Snapshot};

pub static UNKNOWN_REGISTRY: Rule = Rule {
    code: "IST0126",
    name: "unknown-mesh-networks-service-registry",
    level: Level::Error,
    summary: "A MeshNetworks network whose endpoints come from a service registry the mesh does not have.",
    kinds: &["MeshNetworks", "Secret"],
    explanation: "`fromRegistry` names the registry (cluster) whose endpoints belong to a \
        network: istiod's own registries are `Kubernetes` (this cluster, written with a \
        capital K), `External` (ServiceEntries) and `Mock`; a remote cluster's is the key of its \
        kubeconfig in a Secret labelled `istio/multiCluster: \"true\"`. Any other name matches \
        no endpoint, so the network stays empty and cross-network traffic fails. Use the \
        cluster's ID as its remote secret names it.",
    example: Example {
        yaml: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: istio-remote-secret-west\n  namespace: istio-system\n  labels:\n    istio/multiCluster: \"true\"\nstringData:\n  west: \"apiVersion: v1\\nkind: Config\\n\"\n",
        fires_at: &[],
    },
};

pub static ANALYZER: Analyzer = Analyzer {
    name: "meshnetworks.MeshNetworksAnalyzer",
    rules: &[&UNKNOWN_REGISTRY],
    run,
};

/// istiod's own service registries.
const BUILT_IN_REGISTRIES: [&str; 3] = ["Mock", "Kubernetes", "External"];
const MULTI_CLUSTER_SECRET: &str = "istio/multiCluster";

/// How istioctl names the MeshNetworks in its messages.
fn origin() -> Origin {
    Origin {
        kind: "MeshNetworks".into(),
        namespace: Some("istio-system".into()),
        name: "meshnetworks".into(),
    }
}

fn run(snapshot: &Snapshot, report: &mut Report) {
    let Some(file) = &snapshot.mesh_networks else {
        return;
    };
    let registries = registries(snapshot);
    for (name, network) in &file.networks.networks {
        for (i, endpoints) in network.endpoints.iter().enumerate() {
            let Some(registry) = endpoints.from_registry.as_deref() else {
                continue;
            };
            if !registries.contains(registry) {
                report_unknown(file, name, i, registry, report);
            }
        }
    }
}

fn report_unknown(
    file: &MeshNetworksFile,
    network: &str,
    index: usize,
    registry: &str,
    report: &mut Report,
) {
    let endpoints = format!("networks[{network:?}].endpoints[{index}]");
    let pos = file.root.locate_value(&endpoints);
    report.report_in_file(
        &UNKNOWN_REGISTRY,
        origin(),
        &file.source,
        pos,
        &endpoints,
        format!("network {network:?} takes its endpoints from the service registry {registry:?}, which the mesh does not have"),
    );
}

/// The registries endpoints can come from: istiod's own, and each remote
/// cluster of a multi-cluster secret (the keys of its data).
fn registries(snapshot: &Snapshot) -> HashSet<&str> {
    let mut registries: HashSet<&str> = BUILT_IN_REGISTRIES.into_iter().collect();
    for secret in snapshot.of_group_kind("", "Secret") {
        let labels = secret.metadata().labels.as_ref();
        if labels
            .and_then(|l| l.get(MULTI_CLUSTER_SECRET))
            .is_none_or(|v| v != "true")
        {
            continue;
        }
        for key in ["data", "stringData"] {
            if let Some(Node {
                value: Value::Map(entries),
                ..
            }) = secret.tree().get(key)
            {
                registries.extend(entries.iter().map(|e| e.key.as_str()));
            }
        }
    }
    registries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::test_support::lint_with_options;
    use crate::loader::{Limits, SourceFile, parse_documents};
    use crate::snapshot::{MeshConfig, SnapshotOptions};
    use crate::validate::mesh_networks::read_mesh_networks;

    fn findings(networks: &str, yaml: &str) -> String {
        let source = SourceFile::new("networks.yaml", networks.to_string());
        let root = parse_documents(&source, &Limits::default())
            .remove(0)
            .root
            .unwrap();
        let file = MeshNetworksFile {
            networks: read_mesh_networks(&root).unwrap(),
            source,
            root,
        };
        let options = SnapshotOptions {
            mesh_networks: Some(file),
            ..SnapshotOptions::new(MeshConfig::default())
        };
        lint_with_options(yaml, options)
            .iter()
            .filter(|d| d.rule.name == UNKNOWN_REGISTRY.name)
            .map(|d| {
                let at = d.location.as_ref().map(|l| (l.pos.line, l.pos.column));
                format!("{} {:?} {}", d.origin.as_ref().unwrap(), at, d.message)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn registries_of_istiod_and_of_remote_secrets() {
        let networks = "networks:\n  local:\n    endpoints: [{fromRegistry: Kubernetes}]\n  west:\n    endpoints: [{fromRegistry: west}, {fromCidr: 10.0.0.0/8}]\n  east:\n    endpoints: [{fromRegistry: kubernetes}]\n";
        insta::assert_snapshot!(findings(networks, UNKNOWN_REGISTRY.example.yaml));
        // Without the remote secret, "west" is unknown too.
        assert_eq!(findings(networks, "").lines().count(), 2);
    }
}
