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

use k8s_openapi::api::core::v1::Service;

use crate::mesh::host;
use crate::mesh::visibility::{ExportTo, SERVICE_EXPORT_TO_ANNOTATION};
use crate::model::istio::ServiceEntrySpec;
use crate::model::kube::KubeObject;
use crate::model::{Body, KindSpec, Object};

/// Who declares a host.
#[derive(Clone, Copy)]
pub enum DeclaredBy<'a> {
    Service(&'a Object, &'a Service),
    ServiceEntry(&'a Object, &'a ServiceEntrySpec),
}

impl<'a> DeclaredBy<'a> {
    /// The Service or ServiceEntry object.
    pub fn object(&self) -> &'a Object {
        match self {
            DeclaredBy::Service(object, _) | DeclaredBy::ServiceEntry(object, _) => object,
        }
    }
}

/// A host as a Service or ServiceEntry declares it.
pub struct HostDeclaration<'a> {
    /// Fully qualified (`name.ns.svc.<domain>`, a ServiceEntry's short
    /// host resolved in its namespace), wildcards as written.
    pub host: &'a str,
    pub export_to: &'a ExportTo,
    pub declared_by: DeclaredBy<'a>,
}

/// One declared host, by the index of its object in the snapshot.
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
}

impl HostRegistry {
    pub(super) fn build(objects: &[Object], domain: &str) -> Self {
        let mut registry = HostRegistry {
            domain: domain.to_string(),
            entries: Vec::new(),
            services: HashMap::new(),
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

    /// Every declaration, in precedence order.
    pub(super) fn declarations<'a>(
        &'a self,
        objects: &'a [Object],
    ) -> impl Iterator<Item = HostDeclaration<'a>> + 'a {
        self.entries.iter().filter_map(|entry| {
            let object = &objects[entry.object];
            let declared_by = match (object.kube(), service_entry(object)) {
                (Some(KubeObject::Service(service)), _) => DeclaredBy::Service(object, service),
                (_, Some(spec)) => DeclaredBy::ServiceEntry(object, spec),
                _ => return None,
            };
            Some(HostDeclaration {
                host: &entry.host,
                export_to: &entry.export_to,
                declared_by,
            })
        })
    }
}

/// The spec of a ServiceEntry whose schema check passed.
fn service_entry(object: &Object) -> Option<&ServiceEntrySpec> {
    match &object.body {
        Body::Mesh(spec) if object.problems.is_empty() => ServiceEntrySpec::of(spec),
        _ => None,
    }
}
