//! Which VirtualServices and Services a sidecar sees, as its Sidecar
//! resource's `egress.hosts` import them (Istio's `SidecarScope`). Without
//! a Sidecar, a sidecar sees everything exported to its namespace.

use std::collections::{HashMap, HashSet};

use super::context::Proxy;
use super::index::{Index, Vs};
use super::names::{creation_order, qualified};
use crate::mesh::host::{is_subset_of, overlaps};
use crate::model::Object;
use crate::model::istio::{IstioEgressListener, OutboundTrafficMode, SidecarSpec};

/// The Sidecar that applies to a proxy and the egress listener of the
/// request's port.
pub struct SidecarScope<'a> {
    pub name: String,
    spec: &'a SidecarSpec,
    imports: Imports,
}

/// `egress.hosts` of one listener by namespace (`*` for any), as Istio
/// classifies them.
#[derive(Default)]
struct Imports {
    by_namespace: HashMap<String, HostSet>,
}

#[derive(Default)]
struct HostSet {
    exact: HashSet<String>,
    all: Vec<String>,
    /// `~`-prefixed entries: hosts of that namespace not imported.
    excluded: Vec<String>,
}

impl HostSet {
    fn excludes(&self, host: &str) -> bool {
        self.excluded.iter().any(|e| is_subset_of(host, e))
    }

    /// Istio's `hostClassification.Matches`, for a Service's host: the
    /// host itself, or a wildcard covering it.
    fn imports_service(&self, host: &str) -> bool {
        self.imports_by(host, is_subset_of)
    }

    /// `VSMatches`: a VirtualService host is imported when it is listed, or
    /// when it and an imported host overlap (either may be the wildcard).
    fn imports_vs_host(&self, host: &str) -> bool {
        self.imports_by(host, overlaps)
    }

    /// Listed exactly, or `covered` by an imported host when either is a
    /// wildcard.
    fn imports_by(&self, host: &str, covered: fn(&str, &str) -> bool) -> bool {
        self.exact.contains(host)
            || self
                .all
                .iter()
                .filter(|i| i.starts_with('*') || host.starts_with('*'))
                .any(|i| covered(host, i))
    }
}

impl<'a> SidecarScope<'a> {
    /// The Sidecar of the proxy: one in its namespace whose
    /// `workloadSelector` selects it, else its namespace's Sidecar without
    /// a selector, else the root namespace's (each the oldest first).
    /// Gateways have none.
    pub fn for_proxy(index: &Index<'a>, proxy: &Proxy) -> Option<Self> {
        if !proxy.is_sidecar() {
            return None;
        }
        let root = index.snapshot.mesh.root_namespace.as_str();
        let mut sidecars: Vec<(&Object, &SidecarSpec)> = index.snapshot.sidecars().collect();
        sidecars.sort_by(|a, b| creation_order(a.0).cmp(&creation_order(b.0)));
        let in_namespace = |ns: &str| {
            let ns = ns.to_string();
            sidecars
                .iter()
                .filter(move |(o, _)| o.namespace.as_deref() == Some(ns.as_str()))
        };
        let selecting = in_namespace(&proxy.namespace).find(|(_, s)| {
            s.workload_selector.as_ref().is_some_and(|sel| {
                sel.labels
                    .iter()
                    .all(|(k, v)| proxy.labels.get(k) == Some(v))
            })
        });
        let (object, spec) = selecting
            .or_else(|| in_namespace(&proxy.namespace).find(|(_, s)| s.workload_selector.is_none()))
            .or_else(|| in_namespace(root).find(|(_, s)| s.workload_selector.is_none()))
            .copied()?;
        let listener = egress_listener(spec, proxy.port);
        Some(SidecarScope {
            name: qualified(object),
            spec,
            imports: listener.map_or_else(Imports::default, |l| Imports::of(l, &proxy.namespace)),
        })
    }

    /// Whether a VirtualService (already visible to the namespace) is
    /// imported: one of its hosts is, and not excluded.
    pub fn imports_vs(&self, vs: &Vs) -> bool {
        let own = self.imports.by_namespace.get(vs.namespace());
        let any = self.imports.by_namespace.get("*");
        let excluded =
            |h: &str| own.is_some_and(|s| s.excludes(h)) || any.is_some_and(|s| s.excludes(h));
        vs.hosts.iter().any(|h| {
            !excluded(h)
                && [own, any]
                    .into_iter()
                    .flatten()
                    .any(|set| set.imports_vs_host(h))
        })
    }

    /// Whether the Service `host` of `namespace` is imported.
    pub fn imports_service(&self, host: &str, namespace: &str) -> bool {
        let own = self.imports.by_namespace.get(namespace);
        let any = self.imports.by_namespace.get("*");
        if own.is_some_and(|s| s.excludes(host)) || any.is_some_and(|s| s.excludes(host)) {
            return false;
        }
        [own, any]
            .into_iter()
            .flatten()
            .any(|set| set.imports_service(host))
    }

    /// The imported hosts, as written, for the trace.
    pub fn hosts(&self, port: u32) -> String {
        egress_listener(self.spec, port).map_or_else(String::new, |l| l.hosts.join(", "))
    }

    /// `outboundTrafficPolicy.mode: REGISTRY_ONLY`: hosts it does not
    /// import are refused rather than passed through.
    pub fn registry_only(&self) -> bool {
        self.spec
            .outbound_traffic_policy
            .as_ref()
            .and_then(|p| p.mode)
            == Some(OutboundTrafficMode::RegistryOnly)
    }
}

/// The egress listener of the port, else the catch-all one (no port).
fn egress_listener(spec: &SidecarSpec, port: u32) -> Option<&IstioEgressListener> {
    let on_port = |l: &&IstioEgressListener| {
        l.port
            .as_ref()
            .and_then(|p| p.number)
            .is_some_and(|n| n == port)
    };
    spec.egress
        .iter()
        .find(on_port)
        .or_else(|| spec.egress.iter().find(|l| l.port.is_none()))
}

impl Imports {
    /// `ns/host` entries; `.` is the proxy's namespace, `~ns/host` excludes
    /// (`~/host` in every namespace).
    fn of(listener: &IstioEgressListener, proxy_namespace: &str) -> Self {
        let mut imports = Imports::default();
        for entry in &listener.hosts {
            let Some((ns, host)) = entry.split_once('/') else {
                continue;
            };
            let (ns, excluded) = match ns.strip_prefix('~') {
                Some("") => ("*", true),
                Some(ns) => (ns, true),
                None => (ns, false),
            };
            let ns = if ns == "." { proxy_namespace } else { ns };
            let set = imports.by_namespace.entry(ns.to_string()).or_default();
            let host = host.to_ascii_lowercase();
            if excluded {
                set.excluded.push(host);
                continue;
            }
            if !host.starts_with('*') {
                set.exact.insert(host.clone());
            }
            set.all.push(host);
        }
        imports
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imports(hosts: &[&str]) -> Imports {
        let listener = IstioEgressListener {
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            ..Default::default()
        };
        Imports::of(&listener, "web")
    }

    #[test]
    fn hosts_are_classified_by_namespace_with_dot_and_exclusions() {
        let imports = imports(&[
            "./*",
            "shop/cart.shop.svc",
            "~shop/db.shop.svc",
            "~/*.internal",
        ]);
        let web = &imports.by_namespace["web"];
        assert!(web.imports_service("anything.web.svc"));
        let shop = &imports.by_namespace["shop"];
        assert!(shop.imports_service("cart.shop.svc"));
        assert!(!shop.imports_service("catalog.shop.svc"));
        assert!(shop.excludes("db.shop.svc"));
        assert!(imports.by_namespace["*"].excludes("a.internal"));
    }

    #[test]
    fn virtual_service_hosts_match_imports_in_both_directions() {
        let imports = imports(&["shop/*.shop.svc", "legacy/cart.shop.svc"]);
        let shop = &imports.by_namespace["shop"];
        assert!(shop.imports_vs_host("cart.shop.svc"));
        assert!(shop.imports_vs_host("*.svc"), "a wider wildcard overlaps");
        let legacy = &imports.by_namespace["legacy"];
        assert!(legacy.imports_vs_host("*.shop.svc"));
        assert!(!legacy.imports_vs_host("catalog.shop.svc"));
        assert!(
            !legacy.imports_service("*.shop.svc"),
            "a Service is imported only by a host covering it"
        );
    }
}
