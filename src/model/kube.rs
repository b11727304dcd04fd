//! Kubernetes kinds that mesh checks read as context (which Services,
//! workloads and namespaces exist). Their types come from k8s-openapi.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Namespace, Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::de::from_node;
use super::schema_rules::SchemaRules;
use crate::loader::Node;

/// A Kubernetes object meshctl understands.
#[derive(Debug, Clone, PartialEq)]
pub enum KubeObject {
    Namespace(Box<Namespace>),
    Service(Box<Service>),
    Pod(Box<Pod>),
    Deployment(Box<Deployment>),
    StatefulSet(Box<StatefulSet>),
    DaemonSet(Box<DaemonSet>),
    ReplicaSet(Box<ReplicaSet>),
    Job(Box<Job>),
    CronJob(Box<CronJob>),
}

impl KubeObject {
    /// The object as its Kubernetes type serialises it: the fields the API
    /// reads, in the type's order.
    pub fn to_json(&self) -> serde_json::Value {
        let json = match self {
            KubeObject::Namespace(o) => serde_json::to_value(o),
            KubeObject::Service(o) => serde_json::to_value(o),
            KubeObject::Pod(o) => serde_json::to_value(o),
            KubeObject::Deployment(o) => serde_json::to_value(o),
            KubeObject::StatefulSet(o) => serde_json::to_value(o),
            KubeObject::DaemonSet(o) => serde_json::to_value(o),
            KubeObject::ReplicaSet(o) => serde_json::to_value(o),
            KubeObject::Job(o) => serde_json::to_value(o),
            KubeObject::CronJob(o) => serde_json::to_value(o),
        };
        // Plain data: string keys, finite numbers.
        json.unwrap_or_default()
    }

    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            KubeObject::Namespace(o) => &o.metadata,
            KubeObject::Service(o) => &o.metadata,
            KubeObject::Pod(o) => &o.metadata,
            KubeObject::Deployment(o) => &o.metadata,
            KubeObject::StatefulSet(o) => &o.metadata,
            KubeObject::DaemonSet(o) => &o.metadata,
            KubeObject::ReplicaSet(o) => &o.metadata,
            KubeObject::Job(o) => &o.metadata,
            KubeObject::CronJob(o) => &o.metadata,
        }
    }
}

/// Reads a Kubernetes object of a kind meshctl models; `None` for other
/// kinds and for objects Kubernetes itself would refuse (whose validation is
/// Kubernetes' job, not the mesh's).
pub fn read_kube_object(api_version: &str, kind: &str, node: &Node) -> Option<KubeObject> {
    fn read<T: serde::de::DeserializeOwned>(
        node: &Node,
        wrap: fn(Box<T>) -> KubeObject,
    ) -> Option<KubeObject> {
        // Struct names of Kubernetes types collide with the mesh model's
        // (`ServicePort`), so no mesh schema rules apply here.
        let (value, problems) = from_node::<T>(node, SchemaRules::none(), false);
        value
            .filter(|_| problems.is_empty())
            .map(|v| wrap(Box::new(v)))
    }
    match (api_version, kind) {
        ("v1", "Namespace") => read(node, KubeObject::Namespace),
        ("v1", "Service") => read(node, KubeObject::Service),
        ("v1", "Pod") => read(node, KubeObject::Pod),
        ("apps/v1", "Deployment") => read(node, KubeObject::Deployment),
        ("apps/v1", "StatefulSet") => read(node, KubeObject::StatefulSet),
        ("apps/v1", "DaemonSet") => read(node, KubeObject::DaemonSet),
        ("apps/v1", "ReplicaSet") => read(node, KubeObject::ReplicaSet),
        ("batch/v1", "Job") => read(node, KubeObject::Job),
        ("batch/v1", "CronJob") => read(node, KubeObject::CronJob),
        _ => None,
    }
}
