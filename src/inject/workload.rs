//! Where a document's pod is: a Pod's own metadata and spec, a
//! controller's `spec.template`, a CronJob's `spec.jobTemplate` (Istio
//! reads and writes the Job template's metadata there), and every item of
//! a `List`. Kinds are matched by name at any API version, as istioctl's
//! scheme registers them.

use serde_json::Value as Json;

use super::config::InjectConfig;
use super::pod::{self, Owner, PodError, PodOutcome};
use super::remove;
use super::steering::{self, Skip};
use super::tree::get_str;

/// The kinds whose pods are injected.
const WORKLOAD_KINDS: [&str; 9] = [
    "Pod",
    "Deployment",
    "DaemonSet",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "DeploymentConfig",
];

/// What to do to each pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Inject,
    Remove,
}

/// An error about one workload: the object (`Kind/name`, `List` items
/// included) and the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadError {
    pub object: String,
    pub field: String,
    pub message: String,
}

/// Something to tell about a workload that does not stop the run: a pod
/// left as it was and why, or a warning about its annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub object: String,
    pub what: Noticed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Noticed {
    Skipped(Skip),
    Warning(String),
}

impl Notice {
    /// The line for stderr.
    pub fn text(&self) -> String {
        match &self.what {
            Noticed::Skipped(skip) => {
                format!("skipping injection: {} {}", self.object, skip.reason())
            }
            Noticed::Warning(warning) => format!("{}: {warning}", self.object),
        }
    }
}

/// Whether a document is a workload or a List: the documents that are
/// rewritten. Everything else passes through untouched.
fn is_rewritable(doc: &Json) -> bool {
    get_str(doc, &["kind"])
        .is_some_and(|kind| is_rewritable_kind(kind, doc.get("items").is_some_and(Json::is_array)))
}

/// [`is_rewritable`] from the document's `kind` and whether it has a
/// list of `items`.
pub fn is_rewritable_kind(kind: &str, has_items: bool) -> bool {
    WORKLOAD_KINDS.contains(&kind) || (kind.ends_with("List") && has_items)
}

fn is_list(doc: &Json) -> bool {
    get_str(doc, &["kind"]).is_some_and(|k| k.ends_with("List"))
        && doc.get("items").is_some_and(Json::is_array)
}

/// `Kind/name` of an object, for messages.
pub fn describe(doc: &Json) -> String {
    let kind = get_str(doc, &["kind"]).unwrap_or("<no kind>");
    let name = get_str(doc, &["metadata", "name"])
        .or_else(|| get_str(doc, &["metadata", "generateName"]))
        .unwrap_or("<no name>");
    format!("{kind}/{name}")
}

/// Rewrites every pod of the document in place. Returns whether anything
/// changed, and the pods left alone.
pub fn rewrite(
    doc: &mut Json,
    mode: Mode,
    config: &InjectConfig,
    notices: &mut Vec<Notice>,
) -> Result<bool, WorkloadError> {
    if is_list(doc) {
        let mut changed = false;
        for (i, item) in doc["items"]
            .as_array_mut()
            .expect("a list")
            .iter_mut()
            .enumerate()
        {
            let before = notices.len();
            let result = if is_rewritable(item) {
                rewrite(item, mode, config, notices)
            } else {
                Ok(false)
            };
            changed |= result.map_err(|e| WorkloadError {
                field: format!("items[{i}].{}", e.field),
                ..e
            })?;
            for notice in &mut notices[before..] {
                notice.object = format!("{} (items[{i}])", notice.object);
            }
        }
        return Ok(changed);
    }
    let Some(kind) = get_str(doc, &["kind"]).map(str::to_string) else {
        return Ok(false);
    };
    let (meta_path, spec_path): (&[&str], &[&str]) = match kind.as_str() {
        "Pod" => (&["metadata"], &["spec"]),
        "CronJob" => (
            &["spec", "jobTemplate", "metadata"],
            &["spec", "jobTemplate", "spec", "template", "spec"],
        ),
        _ => (
            &["spec", "template", "metadata"],
            &["spec", "template", "spec"],
        ),
    };
    let object = describe(doc);
    let error = |field: String, message: String| WorkloadError {
        object: object.clone(),
        field,
        message,
    };
    let template_path = &spec_path[..spec_path.len() - 1];
    if kind != "Pod" && super::tree::get(doc, template_path).is_none_or(|t| !t.is_object()) {
        return Err(error(
            template_path.join("."),
            "the pod template is missing".into(),
        ));
    }
    let owner = owner_of(doc, &kind);
    let mut meta = take(doc, meta_path);
    let mut spec = take(doc, spec_path);
    if mode == Mode::Inject {
        for warning in steering::warnings(&meta) {
            notices.push(Notice {
                object: object.clone(),
                what: Noticed::Warning(warning),
            });
        }
    }
    let result = match mode {
        Mode::Inject => pod::inject(&mut meta, &mut spec, &owner, config),
        Mode::Remove => {
            let port = steering::agent_port(&steering::proxy_config(&meta, config)).to_string();
            let removed = remove::remove(&mut meta, &mut spec, &port, &owner.name);
            Ok(if removed {
                PodOutcome::Changed
            } else {
                PodOutcome::Unchanged
            })
        }
    };
    put(doc, meta_path, meta);
    put(doc, spec_path, spec);
    match result {
        Ok(PodOutcome::Changed) => Ok(true),
        Ok(PodOutcome::Unchanged) => Ok(false),
        Ok(PodOutcome::Skipped(skip)) => {
            if mode == Mode::Inject {
                notices.push(Notice {
                    object,
                    what: Noticed::Skipped(skip),
                });
            }
            Ok(false)
        }
        Err(PodError::Annotations(bad)) => {
            let first = &bad[0];
            let all: Vec<String> = bad
                .iter()
                .map(|b| {
                    format!(
                        "invalid value {:?} for annotation {:?}: {}",
                        b.value, b.name, b.reason
                    )
                })
                .collect();
            Err(error(
                format!("{}.annotations[\"{}\"]", meta_path.join("."), first.name),
                all.join("; "),
            ))
        }
        Err(PodError::Field { field, message }) => {
            let field = match field.strip_prefix("spec.") {
                Some(rest) => format!("{}.{rest}", spec_path.join(".")),
                None => match field.strip_prefix("metadata.") {
                    Some(rest) => format!("{}.{rest}", meta_path.join(".")),
                    None => field,
                },
            };
            Err(error(field, message))
        }
    }
}

/// Takes the value at a path out (an empty object when absent).
fn take(doc: &mut Json, path: &[&str]) -> Json {
    let mut node = doc;
    for key in path {
        match node.get_mut(*key) {
            Some(next) => node = next,
            None => return Json::Object(Default::default()),
        }
    }
    std::mem::take(node)
}

/// Puts a value back at a path, creating the objects on the way; an empty
/// object that was not there is not added.
fn put(doc: &mut Json, path: &[&str], value: Json) {
    let is_empty = value.as_object().is_some_and(|m| m.is_empty());
    let mut node = doc;
    for key in &path[..path.len() - 1] {
        if node.get(*key).is_none() && is_empty {
            return;
        }
        node = &mut node[*key];
    }
    let last = path[path.len() - 1];
    if is_empty && node.get(last).is_none_or(Json::is_null) {
        if let Some(map) = node.as_object_mut() {
            map.remove(last);
        }
        return;
    }
    node[last] = value;
}

/// The owner the proxy reports: the object itself, or for a Pod the
/// controller its owner references name (Istio's `GetDeployMetaFromPod`).
fn owner_of(doc: &Json, kind: &str) -> Owner {
    let name = get_str(doc, &["metadata", "name"])
        .unwrap_or_default()
        .to_string();
    let namespace = get_str(doc, &["metadata", "namespace"])
        .unwrap_or_default()
        .to_string();
    let api_version = get_str(doc, &["apiVersion"])
        .unwrap_or_default()
        .to_string();
    if kind != "Pod" {
        return Owner {
            name,
            namespace,
            api_version,
            kind: kind.to_string(),
        };
    }
    let mut owner = Owner {
        name,
        namespace,
        api_version: "v1".into(),
        kind: "Pod".into(),
    };
    let generated = get_str(doc, &["metadata", "generateName"]).is_some_and(|g| !g.is_empty());
    let controller = doc["metadata"]
        .get("ownerReferences")
        .and_then(Json::as_array)
        .and_then(|refs| {
            refs.iter()
                .find(|r| r.get("controller").and_then(Json::as_bool) == Some(true))
        });
    if let Some(controller) = controller.filter(|_| generated) {
        let text = |key: &str| {
            controller
                .get(key)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        };
        owner.api_version = text("apiVersion");
        owner.kind = text("kind");
        owner.name = text("name");
        let hash = get_str(doc, &["metadata", "labels", "pod-template-hash"]).unwrap_or_default();
        if owner.kind == "ReplicaSet" && !hash.is_empty() && owner.name.ends_with(hash) {
            // A Deployment's ReplicaSet is `<deployment>-<pod-template-hash>`.
            if let Some(deployment) = owner.name.strip_suffix(&format!("-{hash}")) {
                owner.name = deployment.to_string();
            }
            owner.kind = "Deployment".into();
        }
    }
    if owner.name.is_empty() {
        owner.name = get_str(doc, &["metadata", "name"])
            .unwrap_or_default()
            .to_string();
    }
    owner
}
