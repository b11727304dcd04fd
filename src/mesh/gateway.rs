//! Gateway references of VirtualServices and the namespace part of Gateway
//! server hosts, as Istio's pilot reads them (`model.resolveGatewayName`,
//! `host.NamesForNamespace`).

/// The reserved gateway name for the sidecars of the mesh.
pub const MESH: &str = "mesh";

/// The gateways a VirtualService's `gateways` list binds it to: the list
/// itself, or `mesh` when it is empty.
pub fn bound_gateways(gateways: &[String]) -> impl Iterator<Item = &str> {
    let default = gateways.is_empty().then_some(MESH);
    gateways.iter().map(String::as_str).chain(default)
}

/// Whether a VirtualService with this `gateways` list applies to sidecars.
pub fn binds_mesh(gateways: &[String]) -> bool {
    bound_gateways(gateways).any(|g| g == MESH)
}

/// A gateway a VirtualService names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayRef<'a> {
    /// `mesh`: the sidecars.
    Mesh,
    /// A Gateway resource by namespace and name.
    Named { namespace: &'a str, name: &'a str },
}

impl<'a> GatewayRef<'a> {
    /// `(namespace, name)` of a Gateway resource; `None` for the mesh.
    pub fn named(&self) -> Option<(&'a str, &'a str)> {
        match *self {
            GatewayRef::Mesh => None,
            GatewayRef::Named { namespace, name } => Some((namespace, name)),
        }
    }
}

/// Resolves a reference written in a VirtualService of `namespace`:
/// `mesh`; `ns/name`; `./name` (this namespace); a short `name` (this
/// namespace); or the legacy `name.ns[.svc.<domain>]`, whose second label
/// is the namespace.
pub fn resolve<'a>(reference: &'a str, namespace: &'a str) -> GatewayRef<'a> {
    if reference == MESH {
        return GatewayRef::Mesh;
    }
    let (namespace, name) = match reference.split_once('/') {
        Some((".", name)) => (namespace, name),
        Some(qualified) => qualified,
        None => match reference.split_once('.') {
            Some((name, rest)) => (rest.split('.').next().unwrap_or(rest), name),
            None => (namespace, reference),
        },
    };
    GatewayRef::Named { namespace, name }
}

/// The host part of a Gateway server host entry, whichever namespaces it
/// admits.
pub fn server_host(entry: &str) -> &str {
    entry.split_once('/').map_or(entry, |(_, host)| host)
}

/// A Gateway server host (`host`, `ns/host`, `./host`, `*/host`) of a
/// Gateway in `gateway_namespace`, as seen by a VirtualService of
/// `namespace`: the host when the server admits VirtualServices of that
/// namespace, `None` otherwise.
pub fn server_host_for<'a>(
    entry: &'a str,
    gateway_namespace: &str,
    namespace: &str,
) -> Option<&'a str> {
    match entry.split_once('/') {
        None => Some(entry),
        Some(("*", host)) => Some(host),
        Some((".", host)) => (gateway_namespace == namespace).then_some(host),
        Some((ns, host)) => (ns == namespace).then_some(host),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named<'a>(namespace: &'a str, name: &'a str) -> GatewayRef<'a> {
        GatewayRef::Named { namespace, name }
    }

    #[test]
    fn references_resolve_like_pilot() {
        assert_eq!(resolve("mesh", "shop"), GatewayRef::Mesh);
        assert_eq!(resolve("gw", "shop"), named("shop", "gw"));
        assert_eq!(resolve("edge/gw", "shop"), named("edge", "gw"));
        assert_eq!(resolve("./gw", "shop"), named("shop", "gw"));
        assert_eq!(resolve("gw.edge", "shop"), named("edge", "gw"));
        assert_eq!(
            resolve("gw.edge.svc.cluster.local", "shop"),
            named("edge", "gw")
        );
    }

    #[test]
    fn no_gateways_means_the_mesh() {
        assert!(binds_mesh(&[]));
        assert!(binds_mesh(&["edge/gw".into(), "mesh".into()]));
        assert!(!binds_mesh(&["edge/gw".into()]));
        assert_eq!(bound_gateways(&[]).collect::<Vec<_>>(), ["mesh"]);
    }

    #[test]
    fn server_hosts_limit_namespaces() {
        assert_eq!(server_host_for("a.com", "gw", "shop"), Some("a.com"));
        assert_eq!(server_host_for("*/a.com", "gw", "shop"), Some("a.com"));
        assert_eq!(server_host_for("./a.com", "gw", "shop"), None);
        assert_eq!(server_host_for("./a.com", "shop", "shop"), Some("a.com"));
        assert_eq!(server_host_for("shop/a.com", "gw", "shop"), Some("a.com"));
        assert_eq!(server_host_for("other/a.com", "gw", "shop"), None);
        assert_eq!(server_host("other/a.com"), "a.com");
        assert_eq!(server_host("a.com"), "a.com");
    }
}
