//! Kubernetes kinds that mesh checks read as context (which Services,
//! workloads and namespaces exist). An object is read whole into its
//! k8s-openapi type (so that one Kubernetes would refuse is told apart),
//! then only what checks, simulate and the snapshot read is kept: the
//! compact types below, named and shaped as k8s-openapi's so that reading
//! them reads the same. A run keeps every workload of the input, and the
//! whole types (environment, resources, probes, volumes) cost many times
//! these. Diff and parse, which print every field, type the object whole
//! again from its tree ([`full_json`]).

use super::StringMap;
use super::meta::{LabelSelector, ObjectMeta};
use k8s_openapi::api::{apps::v1 as apps, batch::v1 as batch, core::v1 as core};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::de::from_node;
use super::schema_rules::SchemaRules;
use crate::loader::Node;

/// A Kubernetes object meshctl understands, as checks read it.
#[derive(Debug, Clone, PartialEq)]
pub enum KubeObject {
    Namespace(Box<Namespace>),
    Service(Box<Service>),
    Pod(Box<Pod>),
    Deployment(Box<Controller>),
    StatefulSet(Box<Controller>),
    DaemonSet(Box<Controller>),
    ReplicaSet(Box<Controller>),
    Job(Box<Job>),
    CronJob(Box<CronJob>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Namespace {
    pub metadata: ObjectMeta,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Service {
    pub metadata: ObjectMeta,
    pub spec: Option<ServiceSpec>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceSpec {
    pub cluster_ip: Option<String>,
    pub external_name: Option<String>,
    pub ports: Option<Vec<ServicePort>>,
    pub selector: Option<StringMap>,
    pub type_: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServicePort {
    pub app_protocol: Option<String>,
    pub name: Option<String>,
    pub node_port: Option<i32>,
    pub port: i32,
    pub protocol: Option<String>,
    pub target_port: Option<IntOrString>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: Option<PodSpec>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Option<Vec<Container>>,
    pub host_network: Option<bool>,
    pub node_name: Option<String>,
    pub security_context: Option<PodSecurityContext>,
    pub service_account_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodSecurityContext {
    pub run_as_group: Option<i64>,
    pub run_as_non_root: Option<bool>,
    pub run_as_user: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Container {
    pub image: Option<String>,
    pub name: String,
    pub ports: Option<Vec<ContainerPort>>,
    pub security_context: Option<SecurityContext>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContainerPort {
    pub container_port: i32,
    pub name: Option<String>,
    pub protocol: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SecurityContext {
    pub privileged: Option<bool>,
    pub run_as_group: Option<i64>,
    pub run_as_non_root: Option<bool>,
    pub run_as_user: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodTemplateSpec {
    pub metadata: Option<ObjectMeta>,
    pub spec: Option<PodSpec>,
}

/// A Deployment, StatefulSet, DaemonSet or ReplicaSet: a selector and a
/// pod template (a ReplicaSet without one has an empty template).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Controller {
    pub metadata: ObjectMeta,
    pub spec: Option<ControllerSpec>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ControllerSpec {
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Job {
    pub metadata: ObjectMeta,
    pub spec: Option<JobSpec>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobSpec {
    pub template: PodTemplateSpec,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CronJob {
    pub metadata: ObjectMeta,
    pub spec: Option<CronJobSpec>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CronJobSpec {
    pub job_template: JobTemplateSpec,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobTemplateSpec {
    pub spec: Option<JobSpec>,
}

impl KubeObject {
    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            KubeObject::Namespace(o) => &o.metadata,
            KubeObject::Service(o) => &o.metadata,
            KubeObject::Pod(o) => &o.metadata,
            KubeObject::Deployment(o)
            | KubeObject::StatefulSet(o)
            | KubeObject::DaemonSet(o)
            | KubeObject::ReplicaSet(o) => &o.metadata,
            KubeObject::Job(o) => &o.metadata,
            KubeObject::CronJob(o) => &o.metadata,
        }
    }
}

/// Reads a Kubernetes object of a kind meshctl models; `None` for other
/// kinds and for objects Kubernetes itself would refuse (whose validation is
/// Kubernetes' job, not the mesh's).
pub fn read_kube_object(api_version: &str, kind: &str, node: &Node) -> Option<KubeObject> {
    fn read<T: serde::de::DeserializeOwned, C>(
        node: &Node,
        wrap: fn(Box<C>) -> KubeObject,
    ) -> Option<KubeObject>
    where
        C: From<T>,
    {
        full::<T>(node).map(|whole| wrap(Box::new(C::from(whole))))
    }
    match (api_version, kind) {
        ("v1", "Namespace") => read::<core::Namespace, _>(node, KubeObject::Namespace),
        ("v1", "Service") => read::<core::Service, _>(node, KubeObject::Service),
        ("v1", "Pod") => read::<core::Pod, _>(node, KubeObject::Pod),
        ("apps/v1", "Deployment") => read::<apps::Deployment, _>(node, KubeObject::Deployment),
        ("apps/v1", "StatefulSet") => read::<apps::StatefulSet, _>(node, KubeObject::StatefulSet),
        ("apps/v1", "DaemonSet") => read::<apps::DaemonSet, _>(node, KubeObject::DaemonSet),
        ("apps/v1", "ReplicaSet") => read::<apps::ReplicaSet, _>(node, KubeObject::ReplicaSet),
        ("batch/v1", "Job") => read::<batch::Job, _>(node, KubeObject::Job),
        ("batch/v1", "CronJob") => read::<batch::CronJob, _>(node, KubeObject::CronJob),
        _ => None,
    }
}

/// The object as its whole Kubernetes type serialises it (the fields the
/// API reads, in the type's order), for the kinds [`read_kube_object`]
/// reads; `None` for other kinds and objects Kubernetes would refuse.
pub fn full_json(api_version: &str, kind: &str, node: &Node) -> Option<serde_json::Value> {
    fn json<T: serde::de::DeserializeOwned + serde::Serialize>(
        node: &Node,
    ) -> Option<serde_json::Value> {
        // Plain data: string keys, finite numbers.
        full::<T>(node).and_then(|whole| serde_json::to_value(whole).ok())
    }
    match (api_version, kind) {
        ("v1", "Namespace") => json::<core::Namespace>(node),
        ("v1", "Service") => json::<core::Service>(node),
        ("v1", "Pod") => json::<core::Pod>(node),
        ("apps/v1", "Deployment") => json::<apps::Deployment>(node),
        ("apps/v1", "StatefulSet") => json::<apps::StatefulSet>(node),
        ("apps/v1", "DaemonSet") => json::<apps::DaemonSet>(node),
        ("apps/v1", "ReplicaSet") => json::<apps::ReplicaSet>(node),
        ("batch/v1", "Job") => json::<batch::Job>(node),
        ("batch/v1", "CronJob") => json::<batch::CronJob>(node),
        _ => None,
    }
}

/// The whole k8s-openapi object, when Kubernetes would accept it.
fn full<T: serde::de::DeserializeOwned>(node: &Node) -> Option<T> {
    // Struct names of Kubernetes types collide with the mesh model's
    // (`ServicePort`), so no mesh schema rules apply here.
    let (value, problems) = from_node::<T>(node, SchemaRules::none(), false);
    value.filter(|_| problems.is_empty())
}

/// A list of whole items as compact ones, in a buffer of their own size:
/// collecting in place would keep the whole items' buffer.
fn compact<W, C: From<W>>(whole: Vec<W>) -> Vec<C> {
    let mut items = Vec::with_capacity(whole.len());
    items.extend(whole.into_iter().map(C::from));
    items
}

impl From<core::Namespace> for Namespace {
    fn from(whole: core::Namespace) -> Self {
        Namespace {
            metadata: whole.metadata.into(),
        }
    }
}

impl From<core::Service> for Service {
    fn from(whole: core::Service) -> Self {
        Service {
            metadata: whole.metadata.into(),
            spec: whole.spec.map(|spec| ServiceSpec {
                cluster_ip: spec.cluster_ip,
                external_name: spec.external_name,
                ports: spec.ports.map(compact),
                selector: spec.selector.map(StringMap::from),
                type_: spec.type_,
            }),
        }
    }
}

impl From<core::ServicePort> for ServicePort {
    fn from(whole: core::ServicePort) -> Self {
        ServicePort {
            app_protocol: whole.app_protocol,
            name: whole.name,
            node_port: whole.node_port,
            port: whole.port,
            protocol: whole.protocol,
            target_port: whole.target_port,
        }
    }
}

impl From<core::Pod> for Pod {
    fn from(whole: core::Pod) -> Self {
        Pod {
            metadata: whole.metadata.into(),
            spec: whole.spec.map(PodSpec::from),
        }
    }
}

impl From<core::PodSpec> for PodSpec {
    fn from(whole: core::PodSpec) -> Self {
        PodSpec {
            containers: compact(whole.containers),
            init_containers: whole.init_containers.map(compact),
            host_network: whole.host_network,
            node_name: whole.node_name,
            security_context: whole.security_context.map(|s| PodSecurityContext {
                run_as_group: s.run_as_group,
                run_as_non_root: s.run_as_non_root,
                run_as_user: s.run_as_user,
            }),
            service_account_name: whole.service_account_name,
        }
    }
}

impl From<core::Container> for Container {
    fn from(whole: core::Container) -> Self {
        Container {
            image: whole.image,
            name: whole.name,
            ports: whole.ports.map(compact),
            security_context: whole.security_context.map(|s| SecurityContext {
                privileged: s.privileged,
                run_as_group: s.run_as_group,
                run_as_non_root: s.run_as_non_root,
                run_as_user: s.run_as_user,
            }),
        }
    }
}

impl From<core::ContainerPort> for ContainerPort {
    fn from(whole: core::ContainerPort) -> Self {
        ContainerPort {
            container_port: whole.container_port,
            name: whole.name,
            protocol: whole.protocol,
        }
    }
}

impl From<core::PodTemplateSpec> for PodTemplateSpec {
    fn from(whole: core::PodTemplateSpec) -> Self {
        PodTemplateSpec {
            metadata: whole.metadata.map(ObjectMeta::from),
            spec: whole.spec.map(PodSpec::from),
        }
    }
}

impl Controller {
    fn new(metadata: ObjectMeta, spec: Option<(LabelSelector, PodTemplateSpec)>) -> Self {
        Controller {
            metadata,
            spec: spec.map(|(selector, template)| ControllerSpec { selector, template }),
        }
    }
}

impl From<apps::Deployment> for Controller {
    fn from(whole: apps::Deployment) -> Self {
        let spec = whole.spec.map(|s| (s.selector.into(), s.template.into()));
        Controller::new(whole.metadata.into(), spec)
    }
}

impl From<apps::StatefulSet> for Controller {
    fn from(whole: apps::StatefulSet) -> Self {
        let spec = whole.spec.map(|s| (s.selector.into(), s.template.into()));
        Controller::new(whole.metadata.into(), spec)
    }
}

impl From<apps::DaemonSet> for Controller {
    fn from(whole: apps::DaemonSet) -> Self {
        let spec = whole.spec.map(|s| (s.selector.into(), s.template.into()));
        Controller::new(whole.metadata.into(), spec)
    }
}

impl From<apps::ReplicaSet> for Controller {
    fn from(whole: apps::ReplicaSet) -> Self {
        let spec = whole.spec.map(|s| {
            (
                s.selector.into(),
                s.template.map(Into::into).unwrap_or_default(),
            )
        });
        Controller::new(whole.metadata.into(), spec)
    }
}

impl From<batch::JobSpec> for JobSpec {
    fn from(whole: batch::JobSpec) -> Self {
        JobSpec {
            template: whole.template.into(),
        }
    }
}

impl From<batch::Job> for Job {
    fn from(whole: batch::Job) -> Self {
        Job {
            metadata: whole.metadata.into(),
            spec: whole.spec.map(JobSpec::from),
        }
    }
}

impl From<batch::CronJob> for CronJob {
    fn from(whole: batch::CronJob) -> Self {
        CronJob {
            metadata: whole.metadata.into(),
            spec: whole.spec.map(|s| CronJobSpec {
                job_template: JobTemplateSpec {
                    spec: s.job_template.spec.map(JobSpec::from),
                },
            }),
        }
    }
}
