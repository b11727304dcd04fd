//! The host registry: every host a Kubernetes Service or a ServiceEntry
//! declares, fully qualified under the run's cluster domain, with who may
//! see it (`exportTo`). Analyzers and simulate read hosts from here rather
//! than each resolving names and visibility again.
//!
//! Declarations are kept in Istio's precedence order: Kubernetes Services
//! first, then ServiceEntries, each in input order (Istio lets a
//! Kubernetes Service win a host over a ServiceEntry, and otherwise the
//! oldest declaration). A lookup that takes the first visible declaration
//! therefore picks the owner Istio picks.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::mesh::host;
use crate::mesh::visibility::{ExportTo, PRIVATE, PUBLIC, SERVICE_EXPORT_TO_ANNOTATION};
use crate::model::istio::ServiceEntrySpec;
use crate::model::kube::{KubeObject, Service};
use crate::model::{Body, KindSpec, Object};

/// Who declares a host.
#[derive(Clone, Copy)]
pub enum DeclaredBy<'a> {
    Service(&'a Object, &'a Service),
    ServiceEntry(&'a Object, &'a ServiceEntrySpec),
}

/// One declared host, by the index of its object in the snapshot: fully
/// qualified (`name.ns.svc.<domain>`, a ServiceEntry's short host resolved
/// in its namespace), wildcards as written.
struct Entry {
    host: String,
    export_to: ExportTo,
    object: usize,
}

/// Hosts by name, built once with the snapshot.
pub(super) struct HostRegistry {
    domain: String,
    entries: Vec<Entry>,
    /// Fully qualified Kubernetes Service names to their entry.
    services: HashMap<String, usize>,
    /// Built on the first scoped lookup (simulate does not need it).
    scoped: OnceLock<ScopedIndex>,
}

/// Where a declaration is visible (`*` or a namespace) and a key, to the
/// first entry (in precedence order) with that key there.
type Scoped = HashMap<(String, String), usize>;

/// Entries by scope: plain and wildcard hosts as written, wildcard hosts by
/// what follows their `*`, and plain hosts by each of their dot suffixes
/// (`""` included), which a wildcard query covers.
#[derive(Default)]
struct ScopedIndex {
    exact: Scoped,
    wildcards: Scoped,
    covered: Scoped,
}

impl ScopedIndex {
    fn build(entries: &[Entry]) -> Self {
        let mut index = ScopedIndex::default();
        let keep = |map: &mut Scoped, scope: &str, key: &str, entry: usize| {
            map.entry((scope.to_string(), key.to_string()))
                .or_insert(entry);
        };
        for (i, entry) in entries.iter().enumerate() {
            let host = entry.host.as_str();
            for scope in entry.export_to.scopes() {
                keep(&mut index.exact, scope, host, i);
                match host.strip_prefix('*') {
                    Some(suffix) => keep(&mut index.wildcards, scope, suffix, i),
                    None => {
                        let dots = host.match_indices('.').map(|(at, _)| &host[at..]);
                        for suffix in dots.chain([""]) {
                            keep(&mut index.covered, scope, suffix, i);
                        }
                    }
                }
            }
        }
        index
    }

    fn find(map: &Scoped, scopes: &[&str], key: &str) -> Option<usize> {
        scopes
            .iter()
            .find_map(|scope| map.get(&(scope.to_string(), key.to_string())).copied())
    }
}

impl HostRegistry {
    pub(super) fn build(objects: &[Object], domain: &str) -> Self {
        let mut registry = HostRegistry {
            domain: domain.to_string(),
            entries: Vec::new(),
            services: HashMap::new(),
            scoped: OnceLock::new(),
        };
        for (index, object) in objects.iter().enumerate() {
            // Only Services are parsed here; other Kubernetes kinds stay lazy.
            let is_service = object.kind == "Service" && object.api_version == "v1";
            if is_service && matches!(object.kube(), Some(KubeObject::Service(_))) {
                registry.add_service(index, object);
            }
        }
        for (index, object) in objects.iter().enumerate() {
            if let Some(entry) = service_entry(object) {
                registry.add_service_entry(index, object, entry);
            }
        }
        registry
    }

    fn add_service(&mut self, index: usize, object: &Object) {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let annotation = object
            .metadata()
            .annotations
            .as_ref()
            .and_then(|a| a.get(SERVICE_EXPORT_TO_ANNOTATION));
        let host = host::service_host(&object.name, namespace, &self.domain);
        self.services
            .entry(host.clone())
            .or_insert(self.entries.len());
        self.entries.push(Entry {
            host,
            export_to: ExportTo::from_annotation(annotation.map(String::as_str), namespace),
            object: index,
        });
    }

    fn add_service_entry(&mut self, index: usize, object: &Object, spec: &ServiceEntrySpec) {
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let export_to =
            ExportTo::from_entries(spec.export_to.iter().map(String::as_str), namespace);
        for written in &spec.hosts {
            self.entries.push(Entry {
                host: host::resolve(written, namespace, &self.domain),
                export_to: export_to.clone(),
                object: index,
            });
        }
    }

    pub(super) fn domain(&self) -> &str {
        &self.domain
    }

    /// The object index of the Kubernetes Service named `host`.
    pub(super) fn service(&self, host: &str) -> Option<usize> {
        self.services.get(host).map(|&i| self.entries[i].object)
    }

    /// The declaration a fully qualified `host`, written in a resource of
    /// `namespace` exported to `export_to`, names, as istioctl's analyzers
    /// look hosts up: a host every namespace sees, then one seen by a
    /// namespace the resource is exported to (its own when `exportTo` is
    /// empty); then the most specific wildcard host seen by every namespace
    /// or by its own; and for a wildcard `host`, a plain host under it.
    pub(super) fn lookup<'a>(
        &'a self,
        objects: &'a [Object],
        host: &str,
        namespace: &str,
        export_to: &[String],
    ) -> Option<DeclaredBy<'a>> {
        let index = self
            .scoped
            .get_or_init(|| ScopedIndex::build(&self.entries));
        let mut scopes = vec![PUBLIC];
        if export_to.is_empty() {
            scopes.push(namespace);
        }
        scopes.extend(
            export_to
                .iter()
                .map(|e| if e == PRIVATE { namespace } else { e.as_str() }),
        );
        let own = [PUBLIC, namespace];
        let bare = host.strip_prefix('*').unwrap_or(host);
        let suffixes = bare.char_indices().map(|(at, _)| &bare[at..]).chain([""]);
        let found = ScopedIndex::find(&index.exact, &scopes, host)
            .or_else(|| {
                suffixes
                    .into_iter()
                    .find_map(|suffix| ScopedIndex::find(&index.wildcards, &own, suffix))
            })
            .or_else(|| {
                let under = host.strip_prefix('*')?;
                ScopedIndex::find(&index.covered, &own, under)
            })?;
        declared_by(&objects[self.entries[found].object])
    }
}

fn declared_by(object: &Object) -> Option<DeclaredBy<'_>> {
    match (object.kube(), service_entry(object)) {
        (Some(KubeObject::Service(service)), _) => Some(DeclaredBy::Service(object, service)),
        (_, Some(spec)) => Some(DeclaredBy::ServiceEntry(object, spec)),
        _ => None,
    }
}

/// The spec of an [`analyzable`](super::analyzable) ServiceEntry.
fn service_entry(object: &Object) -> Option<&ServiceEntrySpec> {
    match &object.body {
        Body::Mesh(spec) if super::analyzable(object) => ServiceEntrySpec::of(spec),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::objects;
    use super::super::{Snapshot, SnapshotOptions};
    use super::DeclaredBy;

    const SERVICE_AND_ENTRIES: &str = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: squat, namespace: shop}\nspec:\n  hosts: [reviews]\n  resolution: DNS\n  ports: [{name: http, number: 80, protocol: HTTP}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports: [{port: 9080}]\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: shop}\nspec:\n  hosts: [api.example.com, db]\n  exportTo: [.]\n  resolution: DNS\n  ports: [{name: http, number: 80, protocol: HTTP}]\n";

    fn owner(snap: &Snapshot, host: &str, namespace: &str) -> Option<String> {
        snap.lookup_host(host, namespace, &[])
            .map(|found| match found {
                DeclaredBy::Service(o, _) => format!("Service {}", o.name),
                DeclaredBy::ServiceEntry(o, _) => format!("ServiceEntry {}", o.name),
            })
    }

    #[test]
    fn the_cluster_domain_is_an_option() {
        let options = SnapshotOptions {
            cluster_domain: "corp.internal".into(),
            ..SnapshotOptions::default()
        };
        let snap = Snapshot::new(objects(SERVICE_AND_ENTRIES), options);
        assert_eq!(snap.cluster_domain(), "corp.internal");
        assert!(
            snap.service_by_host("reviews.shop.svc.corp.internal")
                .is_some()
        );
        assert!(
            snap.service_by_host("reviews.shop.svc.cluster.local")
                .is_none()
        );
        assert_eq!(
            owner(&snap, "db.shop.svc.corp.internal", "shop").as_deref(),
            Some("ServiceEntry ext")
        );
    }

    #[test]
    fn a_service_owns_its_host_and_export_to_limits_who_sees_entries() {
        let snap = Snapshot::new(objects(SERVICE_AND_ENTRIES), SnapshotOptions::default());
        assert_eq!(
            owner(&snap, "reviews", "shop").as_deref(),
            Some("Service reviews")
        );
        assert_eq!(
            owner(&snap, "api.example.com", "shop").as_deref(),
            Some("ServiceEntry ext")
        );
        assert_eq!(owner(&snap, "api.example.com", "other"), None);
    }

    /// Wildcard hosts match on the resolved host by any suffix after their
    /// `*` (`*example.com` too, as Istio's `HasSuffix`), and a wildcard
    /// query finds the plain hosts under it. One lookup serves IST0101 and
    /// IST0174 now; each analyzer used to miss one of these cases.
    #[test]
    fn wildcards_cover_in_both_directions() {
        let entries = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: wide, namespace: shop}\nspec:\n  hosts: [\"*example.com\"]\n  resolution: NONE\n  ports: [{name: http, number: 80, protocol: HTTP}]\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: api, namespace: shop}\nspec:\n  hosts: [api.example.org]\n  resolution: DNS\n  ports: [{name: http, number: 80, protocol: HTTP}]\n";
        let snap = Snapshot::new(objects(entries), SnapshotOptions::default());
        assert_eq!(
            owner(&snap, "shopexample.com", "shop").as_deref(),
            Some("ServiceEntry wide")
        );
        assert_eq!(
            owner(&snap, "*.example.org", "shop").as_deref(),
            Some("ServiceEntry api")
        );
        assert_eq!(owner(&snap, "*.example.net", "shop"), None);
    }
}
