//! `--remove`: takes out of a pod what injection added, guided by the
//! `sidecar.istio.io/status` annotation (the containers, volumes and pull
//! secrets by name), `proxy.istio.io/overrides` (the user's own
//! `istio-proxy`/`istio-init` fields, put back), the proxy's
//! `ISTIO_KUBE_APP_PROBERS` (the original probes) and
//! `ISTIO_PROMETHEUS_ANNOTATIONS` (the original scrape annotations).

use serde_json::{Map, Value as Json, json};

use super::pod::OVERRIDES;
use super::probes::{PROBERS_ENV, restore_probes};
use super::prometheus::{self, SCRAPE_ENV};
use super::steering::STATUS;
use super::template::PROXY;
use super::tree::name_of;

/// Labels and annotations injection sets, with the value it sets when the
/// value is fixed (`None`: any value, derived from the pod).
const ADDED_LABELS: [(&str, Option<&str>); 3] = [
    ("security.istio.io/tlsMode", Some("istio")),
    ("service.istio.io/canonical-name", None),
    ("service.istio.io/canonical-revision", None),
];
const ADDED_ANNOTATIONS: [&str; 3] = [STATUS, OVERRIDES, "istio.io/rev"];
const DEFAULT_CONTAINER_ANNOTATIONS: [&str; 2] = [
    "kubectl.kubernetes.io/default-container",
    "kubectl.kubernetes.io/default-logs-container",
];

/// Removes the injection from the pod, in place; false when the pod was
/// not injected.
pub fn remove(meta: &mut Json, spec: &mut Json, status_port: &str) -> bool {
    let Some(status) = injection_status(meta) else {
        return false;
    };
    let proxy_env = |name: &str| -> Option<String> {
        let proxy = spec_container(spec, PROXY)?;
        proxy
            .get("env")?
            .as_array()?
            .iter()
            .find(|e| name_of(e) == Some(name))?
            .get("value")?
            .as_str()
            .map(str::to_string)
    };
    let probers = proxy_env(PROBERS_ENV);
    let scrape = proxy_env(SCRAPE_ENV);
    let overrides = meta
        .get("annotations")
        .and_then(|a| a.get(OVERRIDES))
        .and_then(Json::as_str)
        .and_then(|t| serde_json::from_str::<Json>(t).ok());
    let spec_map = spec.as_object_mut().expect("spec");
    for field in [
        "initContainers",
        "containers",
        "volumes",
        "imagePullSecrets",
    ] {
        let names: Vec<String> = status
            .get(field)
            .and_then(Json::as_array)
            .map(|n| {
                n.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        drop_named(spec_map, field, &names);
    }
    if let Some(overrides) = overrides {
        restore_overrides(spec_map, &overrides);
    }
    if let Some(Json::Object(probers)) = probers.and_then(|p| serde_json::from_str(&p).ok()) {
        restore_probes(spec, &probers);
    }
    let spec_map = spec.as_object_mut().expect("spec");
    for field in [
        "initContainers",
        "containers",
        "volumes",
        "imagePullSecrets",
    ] {
        if spec_map
            .get(field)
            .and_then(Json::as_array)
            .is_some_and(Vec::is_empty)
        {
            spec_map.remove(field);
        }
    }
    restore_metadata(meta, spec, scrape, status_port);
    true
}

fn injection_status(meta: &Json) -> Option<Json> {
    let text = meta.get("annotations")?.get(STATUS)?.as_str()?;
    serde_json::from_str(text).ok()
}

fn spec_container<'a>(spec: &'a Json, name: &str) -> Option<&'a Json> {
    ["containers", "initContainers"]
        .iter()
        .filter_map(|f| spec.get(*f)?.as_array())
        .flatten()
        .find(|c| name_of(c) == Some(name))
}

fn drop_named(spec: &mut Map<String, Json>, field: &str, names: &[String]) {
    if let Some(items) = spec.get_mut(field).and_then(Json::as_array_mut) {
        items.retain(|item| !name_of(item).is_some_and(|n| names.iter().any(|x| x == n)));
    }
}

/// The user's own containers that injection merged into its own, back as
/// the user wrote them: an `istio-proxy` goes back to `containers` unless
/// it was written as a native sidecar, and an image injection filled in
/// was `auto`.
fn restore_overrides(spec: &mut Map<String, Json>, overrides: &Json) {
    for field in ["containers", "initContainers"] {
        for container in overrides
            .get(field)
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let mut container = container.clone();
            if container.get("image").is_none() {
                container["image"] = json!("auto");
            }
            let native = container.get("restartPolicy").and_then(Json::as_str) == Some("Always");
            let target = if name_of(&container) == Some(PROXY) && !native {
                "containers"
            } else {
                field
            };
            super::tree::array_at(spec, target).push(container);
        }
    }
}

fn restore_metadata(meta: &mut Json, spec: &mut Json, scrape: Option<String>, status_port: &str) {
    let Some(meta) = meta.as_object_mut() else {
        return;
    };
    let first_app = spec
        .get("containers")
        .and_then(Json::as_array)
        .and_then(|c| c.iter().filter_map(name_of).find(|n| *n != PROXY))
        .map(str::to_string);
    if let Some(annotations) = meta.get_mut("annotations").and_then(Json::as_object_mut) {
        for key in ADDED_ANNOTATIONS {
            annotations.remove(key);
        }
        for key in DEFAULT_CONTAINER_ANNOTATIONS {
            if annotations.get(key).and_then(Json::as_str) == first_app.as_deref() {
                annotations.remove(key);
            }
        }
        restore_scrape(annotations, scrape, status_port);
    }
    if let Some(labels) = meta.get_mut("labels").and_then(Json::as_object_mut) {
        for (key, value) in ADDED_LABELS {
            if value.is_none_or(|v| labels.get(key).and_then(Json::as_str) == Some(v)) {
                labels.remove(key);
            }
        }
    }
    for key in ["annotations", "labels"] {
        if meta
            .get(key)
            .and_then(Json::as_object)
            .is_some_and(Map::is_empty)
        {
            meta.remove(key);
        }
    }
}

/// The pod's own scrape annotations back, from what the proxy was given;
/// the agent's, when the pod had none.
fn restore_scrape(annotations: &mut Map<String, Json>, scrape: Option<String>, status_port: &str) {
    let points_at_agent = annotations.get("prometheus.io/port").and_then(Json::as_str)
        == Some(status_port)
        && annotations.get("prometheus.io/path").and_then(Json::as_str) == Some(prometheus::PATH);
    if !points_at_agent {
        return;
    }
    prometheus::clear(annotations);
    let Some(Json::Object(original)) = scrape.and_then(|s| serde_json::from_str(&s).ok()) else {
        return;
    };
    for (field, key) in [
        ("scrape", "prometheus.io/scrape"),
        ("path", "prometheus.io/path"),
        ("port", "prometheus.io/port"),
    ] {
        if let Some(value) = original
            .get(field)
            .and_then(Json::as_str)
            .filter(|v| !v.is_empty())
        {
            annotations.insert(key.into(), json!(value));
        }
    }
}
