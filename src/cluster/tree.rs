//! A listed item to a model object: what no check reads is dropped first
//! (status, managed fields, the last-applied copy of the object, the bulk
//! of pod specs, Secret values other than certificates), then the JSON
//! becomes the model's tree. When a check comes to read one of the dropped
//! fields, it leaves these lists.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::loader::{Entry, Node, Pos, Value as NodeValue};
use crate::model::{Object, ObjectSource, read_tree};

/// The kinds whose `status` a check reads: Istio writes the addresses it
/// allocates to a ServiceEntry's status (IST0134 reads them), and the
/// conditions IST0171 reads.
const STATUS_READ: [&str; 7] = [
    "ServiceEntry",
    "Service",
    "WorkloadEntry",
    "AuthorizationPolicy",
    "Gateway",
    "HTTPRoute",
    "GRPCRoute",
];

/// The metadata checks read; the rest (managedFields above all, often
/// larger than the object) is dropped.
const KEPT_METADATA: [&str; 5] = [
    "name",
    "namespace",
    "labels",
    "annotations",
    "creationTimestamp",
];

/// kubectl's copy of the whole object as last applied: as large as the
/// object, and read by no check.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The Secret keys whose values a check reads (gateway credentials'
/// certificate chains); every other value, private keys first, is
/// replaced before the object is kept.
const CERTIFICATE_KEYS: [&str; 2] = ["tls.crt", "cert"];

/// The parts of a pod spec no check reads, which make up most of a real
/// cluster's pods.
const UNREAD_POD_SPEC: [&str; 4] = [
    "volumes",
    "affinity",
    "tolerations",
    "topologySpreadConstraints",
];

/// The parts of a container no check reads (checks read its name, image,
/// ports and security context).
const UNREAD_CONTAINER: [&str; 10] = [
    "env",
    "envFrom",
    "volumeMounts",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "resources",
    "command",
    "args",
    "lifecycle",
];

/// The object of one item of a list of `kind` at `api_version` (list items
/// of built-in kinds carry neither). `None` when it is not a resource.
pub(super) fn object_of(
    mut item: Map<String, Value>,
    api_version: &str,
    kind: &str,
) -> Option<Object> {
    if !STATUS_READ.contains(&kind) {
        item.remove("status");
    }
    item.insert("apiVersion".into(), Value::String(api_version.into()));
    item.insert("kind".into(), Value::String(kind.into()));
    if let Some(Value::Object(metadata)) = item.get_mut("metadata") {
        metadata.retain(|key, _| KEPT_METADATA.contains(&key.as_str()));
        if let Some(Value::Object(annotations)) = metadata.get_mut("annotations") {
            annotations.remove(LAST_APPLIED);
        }
    }
    if kind == "Secret" {
        keep_certificates_only(&mut item);
    }
    if let Some(spec) = pod_spec(&mut item, kind) {
        spec.retain(|key, _| !UNREAD_POD_SPEC.contains(&key.as_str()));
        for list in ["containers", "initContainers"] {
            if let Some(Value::Array(containers)) = spec.get_mut(list) {
                for container in containers.iter_mut().filter_map(Value::as_object_mut) {
                    container.retain(|key, _| !UNREAD_CONTAINER.contains(&key.as_str()));
                }
            }
        }
    }
    // The pruned JSON is a fraction of the tree's size: a typed object
    // keeps it and lets its tree go (analyzers read typed objects, and a
    // tree is only built again to read a field that is not typed).
    let json: Arc<str> = serde_json::to_string(&item).ok()?.into();
    let source = ObjectSource::Cluster { json: Some(json) };
    // Cluster objects carry their namespace; the default is never used.
    let mut object = read_tree(node_of(Value::Object(item)), source, "default")?;
    object.release_tree();
    Some(object)
}

/// The pod spec of a Pod, or of a workload's pod template.
fn pod_spec<'a>(
    item: &'a mut Map<String, Value>,
    kind: &str,
) -> Option<&'a mut Map<String, Value>> {
    let path: &[&str] = match kind {
        "Pod" => &["spec"],
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            &["spec", "template", "spec"]
        }
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => return None,
    };
    let mut at = item;
    for key in path {
        at = at.get_mut(*key)?.as_object_mut()?;
    }
    Some(at)
}

/// A Secret keeps its type and its keys; only certificate values stay.
/// Any other non-empty value becomes one zero byte: the credential check
/// asks only whether a key is there and filled, and the API server only
/// ever returns valid base64.
fn keep_certificates_only(secret: &mut Map<String, Value>) {
    let Some(Value::Object(data)) = secret.get_mut("data") else {
        return;
    };
    for (key, value) in data.iter_mut() {
        let filled = value.as_str().is_some_and(|v| !v.is_empty());
        if !CERTIFICATE_KEYS.contains(&key.as_str()) {
            *value = Value::String(if filled { "AA==" } else { "" }.into());
        }
    }
}

/// JSON as the model's tree. Cluster objects have no text, so no position.
fn node_of(value: Value) -> Node {
    let value = match value {
        Value::Null => NodeValue::Null,
        Value::Bool(b) => NodeValue::Bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => NodeValue::Int(i),
            None => NodeValue::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => NodeValue::Str(s.into()),
        Value::Array(items) => NodeValue::Seq(items.into_iter().map(node_of).collect()),
        Value::Object(entries) => NodeValue::Map(
            entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key: key.into(),
                    key_pos: Pos::default(),
                    value: node_of(value),
                })
                .collect(),
        ),
    };
    Node::new(Pos::default(), value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::object_of;

    fn item(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn drops_what_no_check_reads_and_names_the_kind() {
        let pod = item(json!({
            "metadata": {"name": "web", "namespace": "shop", "uid": "1", "managedFields": [{}],
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "a": "b"}},
            "spec": {"containers": [{"name": "web", "image": "nginx", "env": [{"name": "A", "value": "b"}],
                "securityContext": {"runAsUser": 1337}}], "volumes": [{"name": "data"}]},
            "status": {"phase": "Running"}
        }));
        let object = object_of(pod, "v1", "Pod").unwrap();
        assert_eq!(
            (
                object.kind.as_str(),
                object.namespace.as_deref(),
                object.name.as_str()
            ),
            ("Pod", Some("shop"), "web")
        );
        let tree = object.tree();
        assert!(tree.get("status").is_none());
        let metadata = tree.get("metadata").unwrap();
        assert!(metadata.get("managedFields").is_none() && metadata.get("uid").is_none());
        let annotations: Vec<&str> = metadata
            .get("annotations")
            .unwrap()
            .as_map()
            .unwrap()
            .iter()
            .map(|e| &*e.key)
            .collect();
        assert_eq!(annotations, ["a"]);
        let spec = tree.get("spec").unwrap();
        assert!(spec.get("volumes").is_none());
        let containers = spec.get("containers").unwrap();
        let crate::loader::Value::Seq(containers) = &containers.value else {
            panic!("containers is a list")
        };
        let container: Vec<&str> = containers[0]
            .as_map()
            .unwrap()
            .iter()
            .map(|e| &*e.key)
            .collect();
        assert_eq!(container, ["name", "image", "securityContext"]);
        assert!(object.file().is_none());
    }

    #[test]
    fn a_service_entry_keeps_the_addresses_istio_allocated() {
        let entry = item(json!({
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"hosts": ["api.example.com"]},
            "status": {"addresses": [{"value": "240.240.0.1"}]}
        }));
        let object = object_of(entry, "networking.istio.io/v1", "ServiceEntry").unwrap();
        assert!(
            object
                .tree()
                .get("status")
                .and_then(|s| s.get("addresses"))
                .is_some()
        );
    }

    #[test]
    fn a_secret_keeps_its_type_keys_and_certificates_only() {
        let secret = item(json!({
            "metadata": {"name": "cert", "namespace": "istio-system"},
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": "Y2VydA==", "tls.key": "c2VjcmV0", "ca.crt": ""}
        }));
        let object = object_of(secret, "v1", "Secret").unwrap();
        let data = object.tree().get("data").unwrap();
        let value = |key: &str| {
            data.get(key)
                .and_then(|v| v.as_str())
                .unwrap_or("?")
                .to_string()
        };
        assert_eq!(
            [value("tls.crt"), value("tls.key"), value("ca.crt")],
            ["Y2VydA==", "AA==", ""]
        );
        assert_eq!(object.tree().get_str("type"), Some("kubernetes.io/tls"));
    }
}
