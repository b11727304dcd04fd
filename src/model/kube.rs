//! Kubernetes kinds that mesh checks read as context (which Services,
//! workloads and namespaces exist). Their types come from k8s-openapi.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Namespace, Pod, Service};

use super::de::{FieldProblem, from_node};
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

/// Reads a Kubernetes object of a kind meshctl models. `None` for kinds it
/// does not (those are kept untyped). Unknown fields are not reported here:
/// they belong to Kubernetes' own validation, not to the mesh.
pub fn read_kube_object(
    api_version: &str,
    kind: &str,
    node: &Node,
    rules: &SchemaRules,
) -> Option<(Option<KubeObject>, Vec<FieldProblem>)> {
    fn read<T: serde::de::DeserializeOwned>(
        node: &Node,
        rules: &SchemaRules,
        wrap: fn(Box<T>) -> KubeObject,
    ) -> (Option<KubeObject>, Vec<FieldProblem>) {
        let (value, problems) = from_node::<T>(node, rules, false);
        (value.map(|v| wrap(Box::new(v))), problems)
    }
    Some(match (api_version, kind) {
        ("v1", "Namespace") => read(node, rules, KubeObject::Namespace),
        ("v1", "Service") => read(node, rules, KubeObject::Service),
        ("v1", "Pod") => read(node, rules, KubeObject::Pod),
        ("apps/v1", "Deployment") => read(node, rules, KubeObject::Deployment),
        ("apps/v1", "StatefulSet") => read(node, rules, KubeObject::StatefulSet),
        ("apps/v1", "DaemonSet") => read(node, rules, KubeObject::DaemonSet),
        ("apps/v1", "ReplicaSet") => read(node, rules, KubeObject::ReplicaSet),
        ("batch/v1", "Job") => read(node, rules, KubeObject::Job),
        ("batch/v1", "CronJob") => read(node, rules, KubeObject::CronJob),
        _ => return None,
    })
}
