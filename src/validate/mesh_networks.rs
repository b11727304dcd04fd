//! MeshNetworks (`--mesh-networks`, istiod's `meshNetworks` setting): the
//! networks of a multi-network mesh, which endpoints belong to each, and the
//! gateways that reach them. Checked as istiod checks the setting
//! (`ValidateMeshNetworks`), so that a mistyped file is not taken in silence;
//! `meshnetworks.MeshNetworksAnalyzer` then reads the networks from the
//! snapshot.

use super::rules::support::{is_dns1123_label, validate_fqdn, validate_ip_subnet, validate_port};
use crate::loader::{Node, push_key, quoted};
use crate::mesh::cidr::is_ip_address;
use crate::model::SchemaRules;
use crate::model::de::from_node;
use crate::snapshot::{MeshNetworks, Network};

/// The networks of a MeshNetworks document, or its problems, each
/// `path: message`, when istiod would refuse it.
pub fn read_mesh_networks(root: &Node) -> Result<MeshNetworks, Vec<String>> {
    let (networks, problems) = from_node::<MeshNetworks>(root, SchemaRules::none(), true);
    let mut found: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{}: {}: {}", p.pos.line, p.pos.column, p.path, p.message))
        .collect();
    let networks = networks.unwrap_or_default();
    if found.is_empty() {
        for (name, network) in &networks.networks {
            let mut path = String::from("networks");
            push_key(&mut path, &cut_key(name));
            check_network(network, &path, &mut found);
        }
    }
    if found.is_empty() {
        Ok(networks)
    } else {
        Err(found)
    }
}

fn check_network(network: &Network, path: &str, found: &mut Vec<String>) {
    for (i, endpoints) in network.endpoints.iter().enumerate() {
        let at = format!("{path}.endpoints[{i}]");
        match (&endpoints.from_cidr, &endpoints.from_registry) {
            (Some(_), Some(_)) => found.push(format!(
                "{at}: only one of fromCidr and fromRegistry may be set"
            )),
            (Some(cidr), None) => push_err(found, &at, validate_ip_subnet(cidr)),
            (None, Some(registry)) if !is_dns1123_label(registry) => {
                found.push(format!("{at}: invalid registry name: {}", quoted(registry)));
            }
            _ => {}
        }
    }
    for (i, gateway) in network.gateways.iter().enumerate() {
        let at = format!("{path}.gateways[{i}]");
        match (&gateway.registry_service_name, &gateway.address) {
            (Some(_), Some(_)) => {
                found.push(format!(
                    "{at}: only one of registryServiceName and address may be set"
                ));
            }
            (Some(service), None) => push_err(found, &at, validate_fqdn(service)),
            // istiod resolves host names only with RESOLVE_HOSTNAME_GATEWAYS, which is off by default.
            (None, Some(address)) if !is_ip_address(address) => found.push(format!(
                "{at}: {} is not a valid IP (host names need RESOLVE_HOSTNAME_GATEWAYS on istiod)",
                quoted(address)
            )),
            _ => {}
        }
        push_err(found, &format!("{at}.port"), validate_port(gateway.port));
    }
}

/// A network's name as a path shows it: a long one cut, as a quoted
/// value is.
fn cut_key(name: &str) -> String {
    if name.chars().nth(80).is_some() {
        quoted(name)
    } else {
        name.to_string()
    }
}

fn push_err(found: &mut Vec<String>, at: &str, result: Result<(), String>) {
    if let Err(message) = result {
        found.push(format!("{at}: {message}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{Limits, SourceFile, parse_documents};

    fn check(yaml: &str) -> Vec<String> {
        let source = SourceFile::new("n.yaml", yaml.to_string());
        let documents = parse_documents(&source, &Limits::default());
        read_mesh_networks(documents[0].root.as_ref().expect("a document"))
            .err()
            .unwrap_or_default()
    }

    #[test]
    fn a_two_network_mesh_is_accepted() {
        let yaml = "networks:\n  east:\n    endpoints: [{fromRegistry: east-cluster}, {fromCidr: 10.1.0.0/16}]\n    gateways: [{registryServiceName: istio-eastwestgateway.istio-system.svc.cluster.local, port: 15443}]\n  west:\n    endpoints: [{fromRegistry: west}]\n    gateways: [{address: 192.0.2.10, port: 15443, locality: us-west1}]\n";
        assert_eq!(check(yaml), Vec::<String>::new());
    }

    #[test]
    fn istiods_rules_and_unknown_fields() {
        let yaml = "networks:\n  n:\n    endpoints: [{fromCidr: 10.1.0.0/33}, {fromRegistry: East_1}, {fromCidr: 10.0.0.0/8, fromRegistry: a}]\n    gateways: [{address: gw.example.com, port: 15443}, {registryServiceName: gw.example.com, port: 0}]\n";
        insta::assert_snapshot!(check(yaml).join("\n"));
        assert_eq!(check("networks:\n  n:\n    gateway: []\n").len(), 1);
    }

    #[test]
    fn proto_field_names_are_read_as_istiod_reads_them() {
        let yaml = "networks:\n  n:\n    endpoints: [{from_registry: east}]\n    gateways: [{registry_service_name: gw.istio-system.svc.cluster.local, port: 443}]\n";
        assert_eq!(check(yaml), Vec::<String>::new());
    }
}
