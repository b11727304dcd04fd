//! The Kubernetes client seam: reads a live cluster's resources into model
//! objects, with a blocking API (the async `kube` client and its tokio
//! runtime stay inside this module).
//!
//! `meshctl analyze` reads the kinds its analyzers need; `kube-inject
//! --from-cluster` and `diff --cluster` are meant to read through the same
//! [`Cluster`]. Only GET requests leave this module: discovery, lists
//! (paginated by [`PAGE_SIZE`], following `continue`) and gets. A resource
//! that may not be read is a [`PermissionGap`], not a failure; everything
//! else that stops a read is one [`ClusterError`] line naming the cause, the
//! context and the server.
//!
//! Layer: between the model (which it builds objects with) and the
//! snapshot; it knows nothing of analyzers or findings.

mod connect;
mod discovery;
mod error;
mod list;
mod tree;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use error::ClusterError;

use crate::model::{MeshKind, Object};

/// Items asked for per list request (kubectl's and istioctl's page size).
pub const PAGE_SIZE: usize = 500;

/// Lists in flight at once: enough to overlap round trips, few enough not
/// to weigh on the API server's priority and fairness.
pub const MAX_CONCURRENT_REQUESTS: usize = 4;

/// How to reach the cluster, as kubectl's flags say it.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// `--kubeconfig`; without it `KUBECONFIG` (files merged), then
    /// `~/.kube/config`, then the pod's service account.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`; without it the kubeconfig's current context.
    pub context: Option<String>,
    /// One bound for every request of the run together.
    pub timeout: Duration,
}

/// A connected client (no request has been made yet).
pub struct Cluster {
    runtime: tokio::runtime::Runtime,
    client: kube::Client,
    /// Which cluster this is, for messages.
    names: connect::Names,
    /// When the run's `--timeout` expires.
    deadline: Instant,
    timeout: Duration,
}

/// A resource kind to read, by API group and kind (`""` for the core group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindRef {
    pub group: &'static str,
    pub kind: &'static str,
}

impl KindRef {
    /// The kinds of this name in every API group: mesh kinds of the model's
    /// registry (Istio's Gateway and the Gateway API's share a name) and
    /// Kubernetes' own kinds that checks read; empty for others.
    pub fn all_named(name: &str) -> Vec<KindRef> {
        let mesh = MeshKind::ALL
            .into_iter()
            .filter(|k| k.name() == name)
            .map(|k| KindRef {
                group: k.group(),
                kind: k.name(),
            });
        let kubernetes = KUBERNETES_KINDS.iter().filter(|k| k.kind == name).copied();
        mesh.chain(kubernetes).collect()
    }
}

/// Kubernetes' own kinds that checks read, with their API groups.
const KUBERNETES_KINDS: &[KindRef] = &[
    KindRef {
        group: "",
        kind: "Namespace",
    },
    KindRef {
        group: "",
        kind: "Service",
    },
    KindRef {
        group: "",
        kind: "Pod",
    },
    KindRef {
        group: "",
        kind: "Secret",
    },
    KindRef {
        group: "",
        kind: "ConfigMap",
    },
    KindRef {
        group: "",
        kind: "ServiceAccount",
    },
    KindRef {
        group: "apps",
        kind: "Deployment",
    },
    KindRef {
        group: "apps",
        kind: "StatefulSet",
    },
    KindRef {
        group: "apps",
        kind: "DaemonSet",
    },
    KindRef {
        group: "admissionregistration.k8s.io",
        kind: "MutatingWebhookConfiguration",
    },
    KindRef {
        group: "admissionregistration.k8s.io",
        kind: "ValidatingWebhookConfiguration",
    },
    KindRef {
        group: "apiextensions.k8s.io",
        kind: "CustomResourceDefinition",
    },
];

/// Which namespaces a read covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every namespace (cluster-wide lists).
    All,
    /// These namespaces only, for a user whose cluster-wide list is
    /// refused: namespaced kinds are listed in each of them.
    Namespaces(Vec<String>),
}

/// What to read: kinds to list, ConfigMaps to get by name.
#[derive(Debug, Clone)]
pub struct ReadRequest {
    pub kinds: Vec<KindRef>,
    /// `(namespace, name)`: ConfigMaps are only ever read by name.
    pub config_maps: Vec<(String, String)>,
    pub scope: Scope,
}

/// What a read found.
#[derive(Debug, Default)]
pub struct ClusterRead {
    /// Objects with [`crate::model::ObjectSource::Cluster`], kinds in
    /// request order, each kind in the server's order.
    pub objects: Vec<Object>,
    /// Resources the user may not read, once each.
    pub gaps: Vec<PermissionGap>,
    /// Requested kinds the cluster does not serve (CRD not installed).
    pub not_served: Vec<KindRef>,
}

/// A resource the API server refused to show (403).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionGap {
    /// `pods`, `secrets`, `virtualservices.networking.istio.io`.
    pub resource: String,
    /// `list` or `get`.
    pub verb: &'static str,
    /// The namespace refused, for a namespace's list; `None` cluster-wide.
    pub namespace: Option<String>,
    /// The server's own words.
    pub message: String,
}

impl Cluster {
    /// The kubeconfig's context and server, as messages name them.
    pub fn context(&self) -> &str {
        &self.names.context
    }

    pub fn server(&self) -> &str {
        &self.names.server
    }

    /// The namespace the context names (`default` when it names none).
    pub fn default_namespace(&self) -> &str {
        &self.names.namespace
    }

    /// Reads the kinds asked for. Kinds the cluster does not serve are
    /// empty; a 403 is a gap, and the rest is still read.
    pub fn read(&self, request: &ReadRequest) -> Result<ClusterRead, ClusterError> {
        self.runtime
            .block_on(list::read(
                &self.client,
                request,
                self.deadline,
                self.timeout,
            ))
            .map_err(|cause| self.error(cause))
    }

    /// One ConfigMap's data, `None` when there is no such ConfigMap. A
    /// refusal (403) is an error here: a caller that needs the data cannot
    /// go on without it.
    pub fn get_config_map(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<BTreeMap<String, String>>, ClusterError> {
        let request = ReadRequest {
            kinds: Vec::new(),
            config_maps: vec![(namespace.to_string(), name.to_string())],
            scope: Scope::All,
        };
        let read = self.read(&request)?;
        if let Some(gap) = read.gaps.first() {
            return Err(self.error(error::Cause::Forbidden(gap.message.clone())));
        }
        Ok(read.objects.first().map(config_map_data))
    }

    fn error(&self, cause: error::Cause) -> ClusterError {
        ClusterError::new(cause, &self.names)
    }
}

/// Connects to the cluster the options name: reads the kubeconfig (or the
/// pod's service account) and builds the client. Nothing is sent yet.
pub fn connect(options: &ClusterOptions) -> Result<Cluster, ClusterError> {
    connect::connect(options)
}

/// A ConfigMap object's `data`, as strings.
pub fn config_map_data(object: &Object) -> BTreeMap<String, String> {
    object
        .tree()
        .get("data")
        .and_then(|data| data.as_map())
        .into_iter()
        .flatten()
        .filter_map(|entry| Some((entry.key.to_string(), entry.value.as_str()?.to_string())))
        .collect()
}
