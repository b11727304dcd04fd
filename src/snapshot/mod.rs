//! The snapshot: every resource of a run, indexed once, read-only.
//!
//! Analyzers (lint and, later, `analyze` against a cluster) and simulate
//! read resources only through a snapshot, so they do not care whether the
//! resources came from files or a cluster. Every lookup an analyzer needs is
//! an index built here in one pass (by kind, by namespace and name, by
//! Service host, by workload label), so no check compares every resource
//! with every other one.
//!
//! Invariants: built once, never changed; resources of Kubernetes' system
//! namespaces are left out (as istioctl leaves them out); mesh objects whose schema check
//! failed are kept (they have a position) but are not served by the typed
//! iterators, whose fields would not be trustworthy.

mod hosts;
mod mesh_config;
mod mesh_networks;
mod workloads;

use crate::model::StringMap;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;
use std::time::SystemTime;

use crate::loader::{Limits, SourceFile, parse_documents};
use crate::mesh::host::DEFAULT_CLUSTER_DOMAIN;
use crate::model::kube::{KubeObject, Namespace, Pod, Service};
use crate::model::{
    Body, FieldProblemKind, KindSpec, Object, ObjectSource, mesh_kinds, read_tree,
    split_api_version,
};

pub use hosts::DeclaredBy;
pub use mesh_config::{MeshConfig, ModeOrFlag, PathNormalizationMode};
pub use mesh_networks::{
    MeshNetworks, MeshNetworksFile, Network, NetworkEndpoints, NetworkGateway,
};
pub use workloads::Workload;

/// What a snapshot is built with besides its objects: the settings that
/// differ between a mesh and another, or between files and a live cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotOptions {
    /// The MeshConfig; its `rootNamespace` is where mesh-wide policies live.
    pub mesh: MeshConfig,
    /// The DNS suffix of the cluster's Services (`--cluster-domain`).
    pub cluster_domain: String,
    /// Add istioctl's default ingress gateway (a Service and a Pod in
    /// `istio-system`), as `istioctl analyze` does for files; a live
    /// cluster has its own.
    pub default_ingress: bool,
    /// The MeshNetworks (`--mesh-networks`), when given.
    pub mesh_networks: Option<MeshNetworksFile>,
}

impl SnapshotOptions {
    /// Istio's defaults around this MeshConfig: `cluster.local`, and the
    /// default ingress gateway unless the MeshConfig turns the ingress
    /// controller off.
    pub fn new(mesh: MeshConfig) -> Self {
        SnapshotOptions {
            default_ingress: mesh.has_default_ingress(),
            cluster_domain: DEFAULT_CLUSTER_DOMAIN.to_string(),
            mesh,
            mesh_networks: None,
        }
    }

    /// Where mesh-wide policies live (MeshConfig's `rootNamespace`).
    pub fn root_namespace(&self) -> &str {
        &self.mesh.root_namespace
    }
}

impl Default for SnapshotOptions {
    fn default() -> Self {
        SnapshotOptions::new(MeshConfig::default())
    }
}

/// The resources of a run and their indexes.
pub struct Snapshot {
    objects: Vec<Object>,
    pub mesh: MeshConfig,
    /// The MeshNetworks, when given.
    pub mesh_networks: Option<MeshNetworksFile>,
    /// The time of the run, for the checks that depend on it (certificate
    /// validity): the current time unless given with [`Snapshot::at`].
    now: SystemTime,
    /// By kind, then by API group (Gateway API and Linkerd both have an
    /// `HTTPRoute`), in input order.
    by_kind: HashMap<String, BTreeMap<String, Vec<usize>>>,
    /// By group, kind, namespace and name: positions in `objects`, found
    /// by the hash of that identity and compared with the objects' own
    /// fields, so that the index holds no copy of any name.
    by_name: HashTable<usize>,
    identity_hasher: RandomState,
    hosts: hosts::HostRegistry,
    workloads: workloads::WorkloadIndex,
}

/// An object's group, kind, namespace (`""` when cluster-scoped) and name.
fn identity(object: &Object) -> (&str, &str, &str, &str) {
    (
        split_api_version(&object.api_version).0,
        &object.kind,
        object.namespace.as_deref().unwrap_or_default(),
        &object.name,
    )
}

/// istioctl's stand-in for the ingress gateway it assumes every mesh has
/// (unless MeshConfig turns the ingress controller off).
const DEFAULT_INGRESS: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  ports:
  - {name: http2, port: 80, protocol: TCP}
  - {name: https, port: 443, protocol: TCP}
  - {name: tcp, port: 31400, protocol: TCP}
  - {name: tls, port: 15443, protocol: TCP}
---
apiVersion: v1
kind: Pod
metadata:
  name: istio-ingressgateway-dummypod
  namespace: istio-system
  labels:
    istio: ingressgateway
spec:
  containers:
  - name: istio-proxy
    image: istio/proxyv2
";

impl Snapshot {
    /// Indexes the objects, with istioctl's default ingress gateway added
    /// when the options ask for it.
    pub fn new(mut objects: Vec<Object>, options: SnapshotOptions) -> Self {
        objects.retain(|o| !in_system_namespace(o));
        keep_last_definitions(&mut objects);
        if options.default_ingress {
            // Exactly: the list is the size of the input, and growing it
            // the usual way would double that.
            let ingress = default_ingress_objects();
            objects.reserve_exact(ingress.len());
            objects.extend(ingress);
        }
        let mut snapshot = Snapshot {
            mesh: options.mesh,
            mesh_networks: options.mesh_networks,
            now: SystemTime::now(),
            by_kind: HashMap::new(),
            by_name: HashTable::new(),
            identity_hasher: RandomState::new(),
            hosts: hosts::HostRegistry::build(&objects, &options.cluster_domain),
            workloads: workloads::WorkloadIndex::default(),
            objects: Vec::new(),
        };
        for (index, object) in objects.iter().enumerate() {
            snapshot.index(index, object, &objects);
        }
        snapshot.workloads = workloads::WorkloadIndex::build(&objects);
        snapshot.objects = objects;
        snapshot
    }

    fn index(&mut self, index: usize, object: &Object, objects: &[Object]) {
        let group = split_api_version(&object.api_version).0;
        self.by_kind
            .entry(object.kind.clone())
            .or_default()
            .entry(group.to_string())
            .or_default()
            .push(index);
        // The first object of an identity is the one found.
        let key = identity(object);
        let hash = self.identity_hasher.hash_one(key);
        if self
            .by_name
            .find(hash, |&i| identity(&objects[i]) == key)
            .is_none()
        {
            let hasher = &self.identity_hasher;
            self.by_name
                .insert_unique(hash, index, |&i| hasher.hash_one(identity(&objects[i])));
        }
    }

    /// The same snapshot, taken at `now`: lint passes the time in, so that a
    /// test can fix it.
    pub fn at(self, now: SystemTime) -> Self {
        Snapshot { now, ..self }
    }

    /// The time of the run.
    pub fn now(&self) -> SystemTime {
        self.now
    }

    /// Every object, in input order.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// Objects of one kind in any group, in input order.
    pub fn of_kind<'a>(&'a self, kind: &str) -> impl Iterator<Item = &'a Object> + 'a {
        let groups = self.by_kind.get(kind);
        let mut indices: Vec<usize> = groups
            .into_iter()
            .flat_map(BTreeMap::values)
            .flatten()
            .copied()
            .collect();
        if groups.is_some_and(|g| g.len() > 1) {
            indices.sort_unstable();
        }
        indices.into_iter().map(|i| &self.objects[i])
    }

    /// Objects of one kind of one API group (`""` for Kubernetes' core
    /// group), in input order.
    pub fn of_group_kind<'a>(
        &'a self,
        group: &str,
        kind: &str,
    ) -> impl Iterator<Item = &'a Object> + 'a {
        self.by_kind
            .get(kind)
            .and_then(|groups| groups.get(group))
            .into_iter()
            .flatten()
            .map(|&i| &self.objects[i])
    }

    /// The object of this group (`""` for Kubernetes' core group), kind,
    /// namespace (`""` for cluster-scoped) and name.
    pub fn get(&self, group: &str, kind: &str, namespace: &str, name: &str) -> Option<&Object> {
        let key = (group, kind, namespace, name);
        let hash = self.identity_hasher.hash_one(key);
        self.by_name
            .find(hash, |&i| identity(&self.objects[i]) == key)
            .map(|&i| &self.objects[i])
    }

    /// `(object, spec)` for every [`analyzable`] object of a registered kind.
    pub fn specs<S: KindSpec>(&self) -> impl Iterator<Item = (&Object, &S)> {
        self.of_group_kind(S::KIND.group(), S::KIND.name())
            .filter(|o| analyzable(o))
            .filter_map(|o| match &o.body {
                Body::Mesh(spec) => Some((o, S::of(spec)?)),
                Body::Other => None,
            })
    }

    /// The ReferenceGrants, indexed by the namespace each opens.
    pub fn reference_grant_index(&self) -> crate::mesh::reference_grant::ReferenceGrants<'_> {
        crate::mesh::reference_grant::ReferenceGrants::new(
            self.reference_grants()
                .map(|(object, grant)| (object.namespace.as_deref().unwrap_or_default(), grant)),
        )
    }

    /// The GatewayClasses of the snapshot by name, to tell which
    /// Gateway API Gateways are Istio's.
    pub fn gateway_class_index(&self) -> crate::mesh::gateway_class::GatewayClasses<'_> {
        crate::mesh::gateway_class::GatewayClasses::new(self.gateway_classes().map(
            |(object, class)| {
                let controller = class.controller_name.as_deref().unwrap_or_default();
                (object.name.as_str(), controller)
            },
        ))
    }

    /// The DNS domain of the cluster's Services.
    pub fn cluster_domain(&self) -> &str {
        self.hosts.domain()
    }

    /// A host written in a resource of `namespace`, resolved as Istio
    /// resolves it under this snapshot's cluster domain.
    pub fn resolve_host(&self, host: &str, namespace: &str) -> String {
        crate::mesh::host::resolve(host, namespace, self.hosts.domain())
    }

    /// The Service or ServiceEntry that `host`, written in a resource of
    /// `namespace` exported to `export_to`, names, looked up as istioctl's
    /// analyzers do (see `hosts.rs`).
    pub fn lookup_host(
        &self,
        host: &str,
        namespace: &str,
        export_to: &[String],
    ) -> Option<DeclaredBy<'_>> {
        let host = self.resolve_host(host, namespace);
        self.hosts
            .lookup(&self.objects, &host, namespace, export_to)
    }

    /// The Kubernetes Service whose DNS name is `host`
    /// (`name.namespace.svc.<cluster domain>`).
    pub fn service_by_host(&self, host: &str) -> Option<(&Object, &Service)> {
        let object = &self.objects[self.hosts.service(host)?];
        match object.kube()? {
            KubeObject::Service(service) => Some((object, service)),
            _ => None,
        }
    }

    /// Kubernetes Services that Kubernetes would accept.
    pub fn services(&self) -> impl Iterator<Item = (&Object, &Service)> {
        self.of_group_kind("", "Service")
            .filter_map(|o| match o.kube()? {
                KubeObject::Service(s) => Some((o, &**s)),
                _ => None,
            })
    }

    pub fn pods(&self) -> impl Iterator<Item = (&Object, &Pod)> {
        self.of_group_kind("", "Pod")
            .filter_map(|o| match o.kube()? {
                KubeObject::Pod(p) => Some((o, &**p)),
                _ => None,
            })
    }

    pub fn namespaces(&self) -> impl Iterator<Item = (&Object, &Namespace)> {
        self.of_group_kind("", "Namespace")
            .filter_map(|o| match o.kube()? {
                KubeObject::Namespace(n) => Some((o, &**n)),
                _ => None,
            })
    }

    /// The Namespace object of this name, when the input has one.
    pub fn namespace(&self, name: &str) -> Option<&Object> {
        self.get("", "Namespace", "", name)
    }

    /// Pods, and the pod templates of workload controllers (Deployment,
    /// StatefulSet, ...): offline, the templates are the workloads.
    pub fn workloads(&self) -> impl Iterator<Item = &Workload> {
        self.workloads.all()
    }

    /// Workloads whose labels include every label of `selector`, in
    /// `namespace`, or in every namespace when it is `None`. An empty
    /// selector selects every workload of the namespace.
    pub fn workloads_selected<'a>(
        &'a self,
        namespace: Option<&'a str>,
        selector: &'a StringMap,
    ) -> impl Iterator<Item = &'a Workload> + 'a {
        self.workloads.selected(namespace, selector)
    }

    /// The object a workload was read from.
    pub fn workload_object(&self, workload: &Workload) -> &Object {
        &self.objects[workload.object]
    }
}

/// A typed iterator for each kind of the registry, named in its entry
/// (`virtual_services`, ...): [`Snapshot::specs`] for that kind.
macro_rules! typed_iterators {
    ($($kind:ident $(as $name:literal)? ($module:ident::$spec:ident) $group:ident [$($version:literal),+] $iterator:ident;)+) => {
        impl Snapshot {
            $(
                pub fn $iterator(&self) -> impl Iterator<Item = (&Object, &crate::model::$module::$spec)> {
                    self.specs()
                }
            )+
        }
    };
}

mesh_kinds!(typed_iterators);

/// Kubernetes' own namespaces, which the mesh never injects or manages;
/// istioctl leaves their resources (and the Namespaces themselves) out of
/// the analysis.
const SYSTEM_NAMESPACES: &[&str] = &[
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "local-path-storage",
];

/// Whether the analyzers read an object: its schema check passed, or found
/// only unknown fields. istioctl reads Istio resources leniently, dropping
/// fields it does not know, and analyzes the rest; meshctl's typed body has
/// them dropped too (validate reports them). Any other problem (a wrong
/// type, a value out of range) leaves the typed body short of what was
/// meant, so the object is left to validate's findings.
pub fn analyzable(object: &Object) -> bool {
    object
        .problems
        .iter()
        .all(|p| p.kind == FieldProblemKind::UnknownField)
}

/// Keeps only the last of several objects with one group, kind, namespace
/// and name, as `kubectl apply` and istioctl's file reader leave them
/// (validate reports the others, MSH0005): an analyzer must neither see one
/// resource twice nor find it in conflict with a copy of itself.
fn keep_last_definitions(objects: &mut Vec<Object>) {
    let mut seen = HashSet::with_capacity(objects.len());
    let mut overridden: Vec<bool> = objects
        .iter()
        .rev()
        .map(|o| !o.name.is_empty() && !seen.insert(identity(o)))
        .collect();
    drop(seen);
    if !overridden.contains(&true) {
        return;
    }
    overridden.reverse();
    let mut overridden = overridden.into_iter();
    objects.retain(|_| !overridden.next().unwrap_or(false));
}

fn in_system_namespace(object: &Object) -> bool {
    let namespace = match object.kind.as_str() {
        "Namespace" => Some(object.name.as_str()),
        _ => object.namespace.as_deref(),
    };
    namespace.is_some_and(|ns| SYSTEM_NAMESPACES.contains(&ns))
}

/// istioctl's default ingress gateway as objects of their own: made up, so
/// they point into no file.
fn default_ingress_objects() -> Vec<Object> {
    let text = SourceFile::new("", DEFAULT_INGRESS.to_string());
    parse_documents(&text, &Limits::default())
        .into_iter()
        .filter_map(|document| {
            let source = ObjectSource::Synthetic("istioctl's default ingress gateway");
            read_tree(document.root?, source, "istio-system")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::LoadedFile;
    use crate::model::read_file;

    pub(crate) fn objects(yaml: &str) -> Vec<Object> {
        let source = SourceFile::new("test.yaml", yaml.to_string());
        let documents = parse_documents(&source, &Limits::default());
        read_file(LoadedFile { source, documents }, "default").objects
    }

    pub(crate) fn snapshot(yaml: &str) -> Snapshot {
        Snapshot::new(objects(yaml), SnapshotOptions::default())
    }

    #[test]
    fn adds_istioctls_default_ingress_unless_turned_off() {
        let with = snapshot("");
        let service = with.get("", "Service", "istio-system", "istio-ingressgateway");
        assert!(matches!(
            service.map(|s| &s.source),
            Some(ObjectSource::Synthetic(_))
        ));
        let labels =
            crate::model::StringMap::from([("istio".to_string(), "ingressgateway".to_string())]);
        assert_eq!(with.workloads_selected(None, &labels).count(), 1);
        let off = MeshConfig {
            ingress_controller_mode: Some(ModeOrFlag::Flag(false)),
            ..MeshConfig::default()
        };
        let without = Snapshot::new(Vec::new(), SnapshotOptions::new(off));
        assert!(without.objects().is_empty());
    }

    #[test]
    fn finds_services_by_host_and_short_names_resolve_in_their_namespace() {
        let snap = snapshot(
            "apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports: [{port: 9080}]\n",
        );
        assert_eq!(
            snap.resolve_host("reviews", "shop"),
            "reviews.shop.svc.cluster.local"
        );
        assert_eq!(snap.resolve_host("reviews.shop", "x"), "reviews.shop");
        assert!(
            snap.service_by_host("reviews.shop.svc.cluster.local")
                .is_some()
        );
        assert!(
            snap.service_by_host("reviews.default.svc.cluster.local")
                .is_none()
        );
    }

    #[test]
    fn objects_are_keyed_by_group_as_well_as_kind() {
        let snap = snapshot(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n---\napiVersion: policy.linkerd.io/v1beta3\nkind: HTTPRoute\nmetadata: {name: r}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec: {}\n",
        );
        assert_eq!(snap.of_kind("HTTPRoute").count(), 2);
        assert_eq!(
            snap.of_group_kind("policy.linkerd.io", "HTTPRoute").count(),
            1
        );
        let linkerd = snap
            .get("policy.linkerd.io", "HTTPRoute", "default", "r")
            .unwrap();
        assert_eq!(linkerd.api_version, "policy.linkerd.io/v1beta3");
        let istio: Vec<_> = snap
            .gateways()
            .map(|(o, _)| o.api_version.as_str())
            .collect();
        assert_eq!(istio, ["networking.istio.io/v1"]);
    }

    #[test]
    fn typed_iterators_skip_objects_that_failed_the_schema_check() {
        // An unknown field is dropped and the rest read, as istioctl does; a
        // value of the wrong type leaves the object out of the typed view.
        let snap = snapshot(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ok}\nspec:\n  hosts: [a]\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: typo}\nspec:\n  hosts: [a]\n  bogus: 1\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bad}\nspec:\n  hosts: 5\n",
        );
        let names: Vec<_> = snap
            .virtual_services()
            .map(|(o, _)| o.name.as_str())
            .collect();
        assert_eq!(names, ["ok", "typo"]);
        assert_eq!(snap.of_kind("VirtualService").count(), 3);
    }
}
