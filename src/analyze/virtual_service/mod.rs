//! Analyzers of VirtualServices: where their routes lead (Services,
//! ServiceEntries, DestinationRule subsets), which Gateways they bind to,
//! hosts that several mesh VirtualServices claim, and routing on JWT claims.

mod conflicting_mesh_gateway_hosts;
mod destination_hosts;
mod destination_rules;
mod gateways;
mod jwt_claim_route;

use super::Analyzer;
use crate::model::istio::{Destination, VirtualServiceSpec};
use crate::model::{Body, FieldProblemKind, MeshSpec, Object};
use crate::snapshot::Snapshot;

pub const ANALYZERS: &[&Analyzer] = &[
    &destination_hosts::ANALYZER,
    &destination_rules::ANALYZER,
    &gateways::ANALYZER,
    &conflicting_mesh_gateway_hosts::ANALYZER,
    &jwt_claim_route::ANALYZER,
];

/// The VirtualServices to analyze: the [`analyzable`](crate::snapshot::analyzable) ones, and those whose
/// other problems are only required fields left out. The typed body of the
/// latter has the missing fields empty, exactly as written, and istioctl
/// analyzes them all the same (a route without a destination is a route to
/// no known host).
fn virtual_services(snapshot: &Snapshot) -> impl Iterator<Item = (&Object, &VirtualServiceSpec)> {
    snapshot
        .of_kind("VirtualService")
        .filter_map(|object| match &object.body {
            Body::Mesh(MeshSpec::VirtualService(spec))
                if object.problems.iter().all(|p| {
                    matches!(
                        p.kind,
                        FieldProblemKind::MissingRequired | FieldProblemKind::UnknownField
                    )
                }) =>
            {
                Some((object, &**spec))
            }
            _ => None,
        })
}

/// The namespace of an object (namespaced kinds always have one after
/// defaulting).
fn namespace_of(object: &Object) -> &str {
    object.namespace.as_deref().unwrap_or_default()
}

/// `ns/name` of an object, as messages name resources.
fn full_name(object: &Object) -> String {
    format!("{}/{}", namespace_of(object), object.name)
}

/// How a route reaches a destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// A `route` of an http, tcp or tls rule.
    Route,
    /// An http rule's `mirror` or one of its `mirrors`.
    Mirror,
}

/// A destination of a VirtualService and where it is written.
struct Target<'a> {
    /// Field path of the destination (`spec.http[0].route[1].destination`,
    /// `spec.http[0].mirror`).
    path: String,
    via: Via,
    destination: Option<&'a Destination>,
}

impl<'a> Target<'a> {
    /// The destination host as written (`""` when it has none).
    fn host(&self) -> &'a str {
        self.destination
            .and_then(|d| d.host.as_deref())
            .unwrap_or_default()
    }

    fn subset(&self) -> Option<&'a str> {
        self.destination
            .and_then(|d| d.subset.as_deref())
            .filter(|s| !s.is_empty())
    }

    /// Field path of the destination's host.
    fn host_path(&self) -> String {
        format!("{}.host", self.path)
    }
}

/// Every `route` destination: tcp, then tls, then http rules.
fn route_targets(spec: &VirtualServiceSpec) -> Vec<Target<'_>> {
    let tcp = spec.tcp.iter().enumerate().flat_map(|(i, rule)| {
        rule.route.iter().enumerate().map(move |(j, r)| Target {
            path: format!("spec.tcp[{i}].route[{j}].destination"),
            via: Via::Route,
            destination: r.destination.as_ref(),
        })
    });
    let tls = spec.tls.iter().enumerate().flat_map(|(i, rule)| {
        rule.route.iter().enumerate().map(move |(j, r)| Target {
            path: format!("spec.tls[{i}].route[{j}].destination"),
            via: Via::Route,
            destination: r.destination.as_ref(),
        })
    });
    tcp.chain(tls).chain(http_route_targets(spec)).collect()
}

/// The `route` destinations of the http rules.
fn http_route_targets(spec: &VirtualServiceSpec) -> impl Iterator<Item = Target<'_>> {
    spec.http.iter().enumerate().flat_map(|(i, rule)| {
        rule.route.iter().enumerate().map(move |(j, r)| Target {
            path: format!("spec.http[{i}].route[{j}].destination"),
            via: Via::Route,
            destination: r.destination.as_ref(),
        })
    })
}

/// The mirror destinations of the http rules (`mirror` and `mirrors`).
fn mirror_targets(spec: &VirtualServiceSpec) -> Vec<Target<'_>> {
    let mut targets = Vec::new();
    for (i, rule) in spec.http.iter().enumerate() {
        if let Some(mirror) = &rule.mirror {
            targets.push(Target {
                path: format!("spec.http[{i}].mirror"),
                via: Via::Mirror,
                destination: Some(mirror),
            });
        }
        for (j, mirror) in rule.mirrors.iter().enumerate() {
            targets.push(Target {
                path: format!("spec.http[{i}].mirrors[{j}].destination"),
                via: Via::Mirror,
                destination: mirror.destination.as_ref(),
            });
        }
    }
    targets
}

/// Whether an object is of the Istio networking API group (rather than, for
/// `Gateway`, the Kubernetes Gateway API).
fn is_istio_networking(object: &Object) -> bool {
    object.api_version.starts_with("networking.istio.io/")
}
