//! A Gateway API `backendRef` as the Istio destination pilot builds for it
//! (`buildDestination` in `pilot/pkg/config/kube/gateway/conversion.go`).

use crate::mesh;
use crate::mesh::reference_grant::{CrossReference, ReferenceGrants};
use crate::model::istio::{Destination, PortSelector};
use crate::snapshot::Snapshot;

/// The group Istio's `Hostname` backend kind belongs to.
const ISTIO_GROUP: &str = "networking.istio.io";
/// The Multi-Cluster Services API's group (its `ServiceImport`).
const MCS_GROUP: &str = "multicluster.x-k8s.io";

/// A reference to a backend, whichever route kind or filter holds it.
pub struct BackendRef<'r> {
    pub group: Option<&'r str>,
    pub kind: Option<&'r str>,
    pub name: &'r str,
    pub namespace: Option<&'r str>,
    pub port: Option<i32>,
}

/// The destination of a backend, and why Envoy will have no cluster for
/// it when it names nothing Istio knows (the route then answers 500).
pub struct Backend {
    pub destination: Destination,
    pub problem: Option<String>,
}

/// Resolves the backends of one route.
pub struct Resolver<'r> {
    pub snapshot: &'r Snapshot,
    /// The route's namespace.
    pub namespace: &'r str,
    /// `HTTPRoute` or `GRPCRoute`, as a ReferenceGrant's `from` names it.
    pub route_kind: &'static str,
    /// The ReferenceGrants a backend of another namespace needs, for a
    /// Gateway parent; `None` for mesh routes, which Istio does not check.
    pub grants: Option<&'r ReferenceGrants<'r>>,
}

impl Resolver<'_> {
    /// The destination of `backend`. `Err` is an error Istio refuses the
    /// whole route for.
    pub fn destination(&self, backend: &BackendRef) -> Result<Backend, String> {
        let mut resolved = destination(backend, self.namespace, self.snapshot)?;
        if let Some(ns) = backend.namespace.filter(|ns| *ns != self.namespace)
            && let Some(grants) = self.grants
            && !grants.allow(&CrossReference {
                route_kind: self.route_kind,
                route_namespace: self.namespace,
                namespace: ns,
                group: backend.group.unwrap_or(""),
                kind: backend.kind.unwrap_or("Service"),
                name: backend.name,
            })
        {
            resolved.problem = Some(format!(
                "backendRef {ns}/{} is not accessible to a {} in namespace {:?} (missing a \
                 ReferenceGrant?): Envoy has no cluster for it (500)",
                backend.name, self.route_kind, self.namespace
            ));
        }
        Ok(resolved)
    }
}

/// The destination of `backend`, written in a route of `namespace`.
fn destination(
    backend: &BackendRef,
    namespace: &str,
    snapshot: &Snapshot,
) -> Result<Backend, String> {
    let group = backend.group.unwrap_or("");
    let kind = backend.kind.unwrap_or("Service");
    let ns = backend.namespace.unwrap_or(namespace);
    let domain = snapshot.cluster_domain();
    let (host, known) = match (group, kind) {
        ("", "Service") | (MCS_GROUP, "ServiceImport") => {
            if backend.name.contains('.') {
                return Err(
                    "service name invalid; the name of the Service must be used, not the hostname"
                        .into(),
                );
            }
            let host = mesh::host::service_host(backend.name, ns, domain);
            let known = snapshot.service_by_host(&host).is_some();
            (host, known)
        }
        (ISTIO_GROUP, "Hostname") => {
            if backend.namespace.is_some() {
                return Err("namespace may not be set with Hostname type".into());
            }
            let host = backend.name.to_string();
            let known = snapshot.lookup_host(&host, ns, &[]).is_some();
            (host, known)
        }
        _ => {
            let problem = format!(
                "unsupported backendRef kind {kind:?} of group {group:?}: Envoy has no cluster for it (500)"
            );
            return Ok(Backend {
                destination: Destination::default(),
                problem: Some(problem),
            });
        }
    };
    let Some(port) = backend.port.and_then(|p| u32::try_from(p).ok()) else {
        return Err(format!("backendRef {}: port is required", backend.name));
    };
    Ok(Backend {
        destination: Destination {
            host: Some(host.clone()),
            port: Some(PortSelector { number: Some(port) }),
            subset: None,
        },
        problem: (!known)
            .then(|| format!("backend {host} not found: Envoy has no cluster for it (500)")),
    })
}
