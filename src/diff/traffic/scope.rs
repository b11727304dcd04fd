//! Which hosts a change can reach: only their request classes are
//! simulated, so a one-line edit in a 20,000-service mesh simulates the
//! few hosts it touches. The scope errs wide: a change it cannot place
//! (a Gateway, a host-less delegate, a wildcard host, anything in the root
//! namespace) puts every host in scope.

use std::collections::HashSet;

use serde_json::Value as Json;

use crate::diff::Change;
use crate::mesh::host::{resolve, service_host};
use crate::normal::Normal;

/// The hosts and namespaces the changes touch.
#[derive(Debug, Default)]
pub struct Scope {
    everything: bool,
    hosts: HashSet<String>,
    namespaces: HashSet<String>,
}

impl Scope {
    /// The scope of these changes, hosts resolved under `domain`; a change
    /// in `root_namespace` (mesh-wide policies) reaches every host.
    pub fn of(changes: &[Change], domain: &str, root_namespace: &str) -> Scope {
        let mut scope = Scope::default();
        for change in changes {
            for side in [&change.old, &change.new].into_iter().flatten() {
                scope.add(side, domain, root_namespace);
            }
        }
        scope
    }

    /// Whether a host, declared or routed in these namespaces, is in scope.
    pub fn covers(&self, host: &str, namespaces: &[&str]) -> bool {
        self.everything
            || self.hosts.contains(host)
            || namespaces.iter().any(|ns| self.namespaces.contains(*ns))
    }

    fn add(&mut self, resource: &Normal, domain: &str, root_namespace: &str) {
        let id = &resource.identity;
        let namespace = id.namespace.as_deref().unwrap_or_default();
        let spec = resource.body.get("spec");
        let strings = |field: &str| -> Vec<String> {
            spec.and_then(|s| s.get(field))
                .map(|v| match v {
                    Json::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect(),
                    Json::String(s) => vec![s.clone()],
                    _ => Vec::new(),
                })
                .unwrap_or_default()
        };
        let hosts = match (id.group.as_str(), id.kind.as_str()) {
            ("networking.istio.io", "VirtualService" | "ServiceEntry") => strings("hosts"),
            ("networking.istio.io", "DestinationRule") => strings("host"),
            ("networking.istio.io", "Gateway") => {
                self.everything = true;
                return;
            }
            ("", "Service") => {
                self.hosts.insert(service_host(&id.name, namespace, domain));
                self.namespaces.insert(namespace.to_string());
                return;
            }
            _ => {
                if namespace == root_namespace {
                    self.everything = true;
                } else if id.namespace.is_some() {
                    self.namespaces.insert(namespace.to_string());
                }
                return;
            }
        };
        // A delegate (no hosts) is reached through other VirtualServices,
        // a wildcard through any name it covers.
        if hosts.is_empty() || hosts.iter().any(|h| h.contains('*')) {
            self.everything = true;
        }
        self.hosts
            .extend(hosts.iter().map(|h| resolve(h, namespace, domain)));
    }
}
