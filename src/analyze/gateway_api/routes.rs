//! The references of Gateway API routes, whatever their kind: what the
//! route analyzers read.

use crate::model::Object;
use crate::model::gateway_api::{BackendRef, ParentRef};
use crate::snapshot::Snapshot;

/// The Gateway API's group, the default of a parentRef's.
pub const GATEWAY_API: &str = "gateway.networking.k8s.io";

/// A route with its kind's name, parent references and backend references
/// (with their field paths).
pub struct Route<'a> {
    pub object: &'a Object,
    pub parents: &'a [ParentRef],
    pub backends: Vec<(String, Backend<'a>)>,
}

/// The fields of a backendRef every route kind shares.
pub struct Backend<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: Option<&'a str>,
}

impl<'a> Backend<'a> {
    fn of(
        group: &'a Option<String>,
        kind: &'a Option<String>,
        name: &'a Option<String>,
        namespace: &'a Option<String>,
    ) -> Self {
        Backend {
            group: group.as_deref().unwrap_or_default(),
            kind: kind.as_deref().unwrap_or("Service"),
            name: name.as_deref().unwrap_or_default(),
            namespace: namespace.as_deref(),
        }
    }

    fn common(r: &'a BackendRef) -> Self {
        Backend::of(&r.group, &r.kind, &r.name, &r.namespace)
    }
}

/// Every route of the snapshot: HTTPRoute, GRPCRoute, TCPRoute, TLSRoute
/// and UDPRoute.
pub fn routes(snapshot: &Snapshot) -> Vec<Route<'_>> {
    fn paths<'a, T>(
        rules: impl Iterator<Item = &'a [T]>,
        backend: impl Fn(&'a T) -> Backend<'a>,
    ) -> Vec<(String, Backend<'a>)>
    where
        T: 'a,
    {
        rules
            .enumerate()
            .flat_map(|(i, refs)| {
                refs.iter()
                    .enumerate()
                    .map(move |(j, r)| (format!("spec.rules[{i}].backendRefs[{j}]"), r))
            })
            .map(|(path, r)| (path, backend(r)))
            .collect()
    }
    let mut routes = Vec::new();
    for (object, spec) in snapshot.http_routes() {
        let rules = spec.rules.iter().map(|r| r.backend_refs.as_slice());
        let backends = paths(rules, |r| {
            Backend::of(&r.group, &r.kind, &r.name, &r.namespace)
        });
        routes.push(Route {
            object,
            parents: &spec.parent_refs,
            backends,
        });
    }
    for (object, spec) in snapshot.grpc_routes() {
        let rules = spec.rules.iter().map(|r| r.backend_refs.as_slice());
        let backends = paths(rules, |r| {
            Backend::of(&r.group, &r.kind, &r.name, &r.namespace)
        });
        routes.push(Route {
            object,
            parents: &spec.parent_refs,
            backends,
        });
    }
    for (object, parents, rules) in snapshot
        .tcp_routes()
        .map(|(o, s)| (o, &s.parent_refs, &s.rules))
        .chain(
            snapshot
                .tls_routes()
                .map(|(o, s)| (o, &s.parent_refs, &s.rules)),
        )
        .chain(
            snapshot
                .udp_routes()
                .map(|(o, s)| (o, &s.parent_refs, &s.rules)),
        )
    {
        let backends = paths(
            rules.iter().map(|r| r.backend_refs.as_slice()),
            Backend::common,
        );
        routes.push(Route {
            object,
            parents,
            backends,
        });
    }
    routes
}
