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

/// The lists of `sidecar.istio.io/status`: what injection added, by name.
const STATUS_LISTS: [&str; 4] = [
    "initContainers",
    "containers",
    "volumes",
    "imagePullSecrets",
];
const ADDED_ANNOTATIONS: [&str; 3] = [STATUS, OVERRIDES, "istio.io/rev"];
const DEFAULT_CONTAINER_ANNOTATIONS: [&str; 2] = [
    "kubectl.kubernetes.io/default-container",
    "kubectl.kubernetes.io/default-logs-container",
];

/// Removes the injection from the pod, in place; false when the pod was
/// not injected.
pub fn remove(meta: &mut Json, spec: &mut Json, status_port: &str, owner_name: &str) -> bool {
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
    for field in STATUS_LISTS {
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
    for field in STATUS_LISTS {
        if spec_map
            .get(field)
            .and_then(Json::as_array)
            .is_some_and(Vec::is_empty)
        {
            spec_map.remove(field);
        }
    }
    undo_template_settings(meta, spec);
    restore_metadata(meta, spec, scrape, status_port, owner_name);
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

/// What the gateway and gRPC templates set on the pod itself: the
/// gateway's unprivileged-ports sysctl, gRPC's probe rewriting turned off.
fn undo_template_settings(meta: &mut Json, spec: &mut Json) {
    let templates: Vec<String> = meta
        .get("annotations")
        .and_then(|a| a.get("inject.istio.io/templates"))
        .and_then(Json::as_str)
        .map(|t| t.split(',').map(|n| n.trim().to_string()).collect())
        .unwrap_or_default();
    let uses = |name: &str| templates.iter().any(|t| t == name);
    let gateway_sysctl =
        json!({"sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]});
    if uses("gateway") && spec.get("securityContext") == Some(&gateway_sysctl) {
        spec.as_object_mut()
            .expect("spec")
            .remove("securityContext");
    }
    let rewrite = "sidecar.istio.io/rewriteAppHTTPProbers";
    if (uses("grpc-agent") || uses("grpc-simple"))
        && let Some(annotations) = meta.get_mut("annotations").and_then(Json::as_object_mut)
        && annotations.get(rewrite).and_then(Json::as_str) == Some("false")
    {
        annotations.remove(rewrite);
    }
}

/// Whether a label is the one injection would have set: the TLS mode's
/// default, or a canonical name or revision equal to what the pod's other
/// labels (or its owner's name) give.
fn is_injected_label(key: &str, value: &str, labels: &Map<String, Json>, owner_name: &str) -> bool {
    let label = |name: &str| {
        labels
            .get(name)
            .and_then(Json::as_str)
            .filter(|v| !v.is_empty())
    };
    match key {
        "security.istio.io/tlsMode" => value == "istio",
        "service.istio.io/canonical-name" => {
            let derived = label("app.kubernetes.io/name")
                .or(label("app"))
                .unwrap_or(owner_name);
            let derived: String = derived.chars().take(63).collect();
            value == derived.trim_matches(['-', '_', '.'])
        }
        "service.istio.io/canonical-revision" => {
            value
                == label("app.kubernetes.io/version")
                    .or(label("version"))
                    .unwrap_or("latest")
        }
        _ => false,
    }
}

fn restore_metadata(
    meta: &mut Json,
    spec: &mut Json,
    scrape: Option<String>,
    status_port: &str,
    owner_name: &str,
) {
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
        let injected: Vec<String> = labels
            .iter()
            .filter(|(k, v)| {
                v.as_str()
                    .is_some_and(|v| is_injected_label(k, v, labels, owner_name))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in injected {
            labels.remove(&key);
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
    if let Some(targets) = original.get("targets").and_then(Json::as_array) {
        // The port and path were the first target's: only the list was the pod's.
        let list: Vec<String> = targets
            .iter()
            .map(|t| {
                format!(
                    "{}:{}",
                    t["port"].as_str().unwrap_or_default(),
                    t["path"].as_str().unwrap_or_default()
                )
            })
            .collect();
        annotations.insert(
            "prometheus.istio.io/scrape-targets".into(),
            json!(list.join(",")),
        );
        if let Some(scrape) = original
            .get("scrape")
            .and_then(Json::as_str)
            .filter(|v| !v.is_empty())
        {
            annotations.insert("prometheus.io/scrape".into(), json!(scrape));
        }
        return;
    }
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
