//! Workloads and the label index that finds the ones a selector picks.

use crate::model::StringMap;
use std::collections::HashMap;

use crate::model::ObjectMeta;

use crate::mesh::selector::selects;
use crate::model::Object;
use crate::model::kube::{KubeObject, PodSpec, PodTemplateSpec};

/// A Pod, or the pod template of a workload controller.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Index of the object in the snapshot.
    pub(super) object: usize,
    pub namespace: String,
    /// The pod's labels (the template's, for a controller).
    pub labels: StringMap,
    /// Field path of the pod (`""` for a Pod, `spec.template` for a
    /// Deployment), for locating findings.
    pub pod_path: &'static str,
}

impl Workload {
    /// The pod's metadata: the Pod's own, or the controller's template's.
    pub fn metadata<'a>(&self, object: &'a Object) -> Option<&'a ObjectMeta> {
        if object.kind == "Pod" {
            Some(object.metadata())
        } else {
            self.pod(object).map(|(meta, _)| meta)
        }
    }

    /// The pod's metadata and spec, read from the workload's object.
    pub fn pod<'a>(&self, object: &'a Object) -> Option<(&'a ObjectMeta, &'a PodSpec)> {
        let (metadata, spec) = pod_parts(object.kube()?)?;
        Some((metadata?, spec?))
    }
}

/// The pod's metadata and spec in a typed workload, each as written.
fn pod_parts(kube: &KubeObject) -> Option<(Option<&ObjectMeta>, Option<&PodSpec>)> {
    fn template(t: &PodTemplateSpec) -> (Option<&ObjectMeta>, Option<&PodSpec>) {
        (t.metadata.as_ref(), t.spec.as_ref())
    }
    Some(match kube {
        KubeObject::Pod(p) => (Some(&p.metadata), p.spec.as_ref()),
        KubeObject::Deployment(d) => template(&d.spec.as_ref()?.template),
        KubeObject::StatefulSet(s) => template(&s.spec.as_ref()?.template),
        KubeObject::DaemonSet(d) => template(&d.spec.as_ref()?.template),
        KubeObject::ReplicaSet(r) => template(&r.spec.as_ref()?.template),
        KubeObject::Job(j) => template(&j.spec.as_ref()?.template),
        KubeObject::CronJob(c) => template(&c.spec.as_ref()?.job_template.spec.as_ref()?.template),
        _ => return None,
    })
}

/// Workloads by namespace and by label.
#[derive(Debug, Default)]
pub(super) struct WorkloadIndex {
    workloads: Vec<Workload>,
    by_namespace: HashMap<String, Vec<usize>>,
    /// `key=value` to the workloads carrying that label.
    by_label: HashMap<String, Vec<usize>>,
}

impl WorkloadIndex {
    pub(super) fn build(objects: &[Object]) -> Self {
        let mut index = WorkloadIndex::default();
        for (i, object) in objects.iter().enumerate() {
            let Some(pod_path) = pod_path(&object.kind) else {
                continue;
            };
            let workload = Workload {
                object: i,
                namespace: object.namespace.clone().unwrap_or_default(),
                labels: pod_labels(object, pod_path),
                pod_path,
            };
            index.add(workload);
        }
        index
    }

    fn add(&mut self, workload: Workload) {
        let id = self.workloads.len();
        self.by_namespace
            .entry(workload.namespace.clone())
            .or_default()
            .push(id);
        for (key, value) in &workload.labels {
            self.by_label
                .entry(format!("{key}={value}"))
                .or_default()
                .push(id);
        }
        self.workloads.push(workload);
    }

    pub(super) fn all(&self) -> impl Iterator<Item = &Workload> {
        self.workloads.iter()
    }

    pub(super) fn selected<'a>(
        &'a self,
        namespace: Option<&'a str>,
        selector: &'a StringMap,
    ) -> impl Iterator<Item = &'a Workload> + 'a {
        // Start from the smallest posting list the selector names; without
        // labels, from the namespace (or everything).
        let candidates: Box<dyn Iterator<Item = usize> + 'a> = match selector.iter().next() {
            Some(_) => {
                let shortest = selector
                    .iter()
                    .map(|(k, v)| {
                        self.by_label
                            .get(&format!("{k}={v}"))
                            .map_or(&[][..], Vec::as_slice)
                    })
                    .min_by_key(|ids| ids.len())
                    .unwrap_or(&[]);
                Box::new(shortest.iter().copied())
            }
            None => match namespace {
                Some(ns) => Box::new(
                    self.by_namespace
                        .get(ns)
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .copied(),
                ),
                None => Box::new(0..self.workloads.len()),
            },
        };
        candidates.map(|i| &self.workloads[i]).filter(move |w| {
            namespace.is_none_or(|ns| w.namespace == ns) && selects(selector, &w.labels)
        })
    }
}

/// The pod's labels: a Pod is a workload by its labels alone (a manifest
/// may leave out its spec), a controller by its template's. From the typed
/// object when Kubernetes would accept it (its tree may have been let go),
/// else from the tree.
fn pod_labels(object: &Object, pod_path: &str) -> StringMap {
    if let Some(kube) = object.kube() {
        return pod_parts(kube)
            .and_then(|(metadata, _)| metadata?.labels.clone())
            .unwrap_or_default();
    }
    let path = pod_path.split('.').filter(|k| !k.is_empty());
    let mut node = object.tree();
    for key in path.chain(["metadata", "labels"]) {
        match node.get(key) {
            Some(next) => node = next,
            None => return StringMap::new(),
        }
    }
    node.as_map()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e.key.to_string(), e.value.as_str()?.to_string())))
        .collect()
}

/// Where the pod is in an object of this kind, for the kinds that run pods.
fn pod_path(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "",
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => "spec.template",
        "CronJob" => "spec.jobTemplate.spec.template",
        _ => return None,
    })
}
