//! `meshctl version`: this build, and the mesh APIs it checks against,
//! read from the registry of kinds so the list cannot go stale.

use super::outcome::{Outcome, Status};
use super::output::Stdout;
use crate::model::{Mesh, MeshKind};

pub fn run(out: &mut Stdout) -> Outcome {
    out.write_str(&format!("meshctl {}\n", env!("CARGO_PKG_VERSION")));
    for mesh in Mesh::ALL {
        out.write_str(&format!("{}: {}\n", mesh_name(mesh), apis_of(mesh)));
    }
    let values = crate::inject::Values::default();
    out.write_str(&format!(
        "kube-inject: Istio {} injection, proxy {}/{}:{}\n",
        crate::inject::ISTIO_VERSION,
        values.hub,
        values.proxy_image,
        values.tag
    ));
    Ok(Status::Clean)
}

fn mesh_name(mesh: Mesh) -> &'static str {
    match mesh {
        Mesh::Istio => "Istio",
        Mesh::GatewayApi => "Gateway API",
        Mesh::Linkerd => "Linkerd",
        Mesh::Consul => "Consul",
    }
}

/// `group versions, ...; group versions`, in registry order, or a word
/// saying none is checked yet.
fn apis_of(mesh: Mesh) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for kind in MeshKind::ALL
        .into_iter()
        .filter(|k| k.api_group().mesh == mesh)
    {
        let group = kind.api_group().name;
        let index = match groups.iter().position(|(name, _)| *name == group) {
            Some(index) => index,
            None => {
                groups.push((group, Vec::new()));
                groups.len() - 1
            }
        };
        let versions = &mut groups[index].1;
        for version in kind.versions() {
            if !versions.contains(version) {
                versions.push(version);
            }
        }
    }
    if groups.is_empty() {
        return "not checked yet".to_string();
    }
    let described: Vec<String> = groups
        .iter()
        .map(|(group, versions)| format!("{group} {}", versions.join(", ")))
        .collect();
    described.join("; ")
}
