//! Injecting one pod (a Pod, or a controller's pod template), in the steps
//! of Istio's `injectPod`: render the template, lay it over the pod,
//! lay the user's own `istio-proxy`/`istio-init` customizations back over
//! it, then merge Prometheus scraping, rewrite application probes, record
//! the status and put the containers in order.

use serde_json::{Map, Value as Json, json};

use super::config::InjectConfig;
use super::merge::merge;
use super::probes::{PROBERS_ENV, app_probers, rewrite_probes};
use super::prometheus::{self, Merge};
use super::steering::{self, BadAnnotation, STATUS, Skip};
use super::template::{INIT, PROXY, Template, Workload, render};
use super::tree::{array_at, find_named, name_of, object_at};

pub const OVERRIDES: &str = "proxy.istio.io/overrides";
const TEMPLATES: &str = "inject.istio.io/templates";
const VALIDATION: &str = "istio-validation";
const CORE_DUMP: &str = "enable-core-dump";
/// A user's `istio-proxy` with this image takes the injected image.
const AUTO_IMAGE: &str = "auto";

/// Who owns the pod: the names the proxy reports and the owner reference
/// it builds.
#[derive(Debug, Clone, Default)]
pub struct Owner {
    pub name: String,
    pub namespace: String,
    pub api_version: String,
    pub kind: String,
}

/// Why a pod cannot be injected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodError {
    /// Annotations whose values Istio refuses.
    Annotations(Vec<BadAnnotation>),
    /// Anything else, with the field it is about.
    Field { field: String, message: String },
}

/// The result for one pod.
#[derive(Debug)]
pub enum PodOutcome {
    /// Injected (or, for `--remove`, taken out).
    Changed,
    /// Left alone on purpose, and why.
    Skipped(Skip),
    /// Nothing to do (`--remove` of a pod that was not injected).
    Unchanged,
}

/// Injects the pod whose metadata and spec are given, in place.
pub fn inject(
    meta: &mut Json,
    spec: &mut Json,
    owner: &Owner,
    config: &InjectConfig,
) -> Result<PodOutcome, PodError> {
    ensure_objects(meta, spec);
    if let Err(skip) = steering::decide(meta, spec, config) {
        return Ok(PodOutcome::Skipped(skip));
    }
    steering::validate(meta).map_err(PodError::Annotations)?;
    let has_containers = spec
        .get("containers")
        .and_then(Json::as_array)
        .is_some_and(|c| !c.is_empty());
    if !has_containers {
        return Err(PodError::Field {
            field: "spec.containers".into(),
            message: "the pod has no containers; Kubernetes requires at least one".into(),
        });
    }
    let proxy_config = steering::proxy_config(meta, config);
    let original_meta = meta.clone();
    let original_spec = spec.clone();
    let workload = Workload {
        meta: &original_meta,
        spec: &original_spec,
        owner_name: owner.name.clone(),
        owner_namespace: owner.namespace.clone(),
        api_version: owner.api_version.clone(),
        kind: owner.kind.clone(),
        config,
        proxy_config: &proxy_config,
    };
    let mut template_pod = json!({});
    for template in templates(meta, config)? {
        let rendered = render(template, &workload);
        if workload.native_sidecar() && holds_init_proxy(&rendered) {
            move_proxy_to_init(spec);
        }
        lay_over(meta, spec, &rendered);
        if template_pod.as_object().is_some_and(|m| m.is_empty()) {
            template_pod = rendered;
        } else {
            merge(&mut template_pod, &rendered);
        }
    }
    reapply_user_containers(meta, spec, &original_spec, &template_pod);
    canonical_resources(spec, &template_pod);
    align_init_user(spec, &original_spec, &workload.interception_mode());
    post_process(meta, spec, &template_pod, &workload)?;
    Ok(PodOutcome::Changed)
}

fn ensure_objects(meta: &mut Json, spec: &mut Json) {
    if !meta.is_object() {
        *meta = json!({});
    }
    if !spec.is_object() {
        *spec = json!({});
    }
}

/// The templates the pod asks for (`inject.istio.io/templates`) or the
/// policy's default ones.
fn templates(meta: &Json, config: &InjectConfig) -> Result<Vec<Template>, PodError> {
    let names: Vec<String> = match steering::annotation(meta, TEMPLATES) {
        Some(list) => list.split(',').map(|n| n.trim().to_string()).collect(),
        None => config.policy.default_templates.clone(),
    };
    names
        .iter()
        .map(|name| {
            Template::named(name).ok_or_else(|| PodError::Field {
                field: format!("metadata.annotations[\"{TEMPLATES}\"]"),
                message: format!(
                    "requested template {name:?} is not one meshctl models (sidecar, gateway, grpc-agent, grpc-simple)"
                ),
            })
        })
        .collect()
}

fn holds_init_proxy(template_pod: &Json) -> bool {
    template_pod["spec"]
        .get("initContainers")
        .and_then(Json::as_array)
        .is_some_and(|c| find_named(c, PROXY).is_some())
}

/// A native sidecar lives in `initContainers`: a user's `istio-proxy`
/// customization written under `containers` moves there first.
fn move_proxy_to_init(spec: &mut Json) {
    let spec = spec.as_object_mut().expect("spec is an object");
    let containers = array_at(spec, "containers");
    let Some(index) = containers.iter().position(|c| name_of(c) == Some(PROXY)) else {
        return;
    };
    let proxy = containers.remove(index);
    array_at(spec, "initContainers").push(proxy);
}

fn lay_over(meta: &mut Json, spec: &mut Json, template_pod: &Json) {
    if let Some(template_meta) = template_pod.get("metadata") {
        merge(meta, template_meta);
    }
    if let Some(template_spec) = template_pod.get("spec") {
        merge(spec, template_spec);
    }
}

/// The user's own `istio-proxy` and `istio-init` fields win over the
/// template's (Istio's `reapplyOverwrittenContainers`); they are recorded
/// in `proxy.istio.io/overrides`.
fn reapply_user_containers(
    meta: &mut Json,
    spec: &mut Json,
    original_spec: &Json,
    template_pod: &Json,
) {
    let mut overrides = Map::new();
    for (field, search) in [
        ("containers", &["containers"][..]),
        ("initContainers", &["containers", "initContainers"][..]),
    ] {
        let template_names: Vec<&str> = template_pod["spec"]
            .get(field)
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(name_of)
            .collect();
        let mut applied = Vec::new();
        for name in template_names {
            let user = search.iter().find_map(|f| {
                original_spec
                    .get(*f)
                    .and_then(Json::as_array)
                    .and_then(|c| find_named(c, name))
            });
            let Some(user) = user else {
                continue;
            };
            let mut overlay = user.clone();
            if overlay.get("image").and_then(Json::as_str) == Some(AUTO_IMAGE) {
                overlay
                    .as_object_mut()
                    .expect("a container")
                    .remove("image");
            }
            merge(spec, &json!({ field: [overlay.clone()] }));
            applied.push(as_go_writes(&overlay));
        }
        if !applied.is_empty() {
            overrides.insert(field.to_string(), Json::Array(applied));
        }
    }
    if !overrides.is_empty() {
        let text = Json::Object(overrides).to_string();
        object_at(meta.as_object_mut().expect("metadata"), "annotations")
            .insert(OVERRIDES.into(), Json::String(text));
    }
}

/// Fields of a container in the order Go's `corev1.Container` writes
/// them; `resources` is always written.
const CONTAINER_FIELDS: [&str; 24] = [
    "name",
    "image",
    "command",
    "args",
    "workingDir",
    "ports",
    "envFrom",
    "env",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
];

/// A container as `proxy.istio.io/overrides` records it: Go's field order
/// and quantities.
fn as_go_writes(container: &Json) -> Json {
    let mut out = Map::new();
    for field in CONTAINER_FIELDS {
        match container.get(field) {
            Some(value) => {
                let mut value = value.clone();
                if field == "resources" {
                    canonical_quantities(&mut value);
                }
                out.insert(field.into(), value);
            }
            None if field == "resources" => {
                out.insert(field.into(), json!({}));
            }
            None => {}
        }
    }
    for (key, value) in container.as_object().into_iter().flatten() {
        if !out.contains_key(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    Json::Object(out)
}

fn canonical_quantities(resources: &mut Json) {
    for kind in ["limits", "requests"] {
        let values = resources.get_mut(kind).and_then(Json::as_object_mut);
        for value in values.into_iter().flat_map(|m| m.values_mut()) {
            if let Some(canonical) = value.as_str().and_then(crate::normal::canonical_quantity) {
                *value = Json::String(canonical);
            }
        }
    }
}

/// The injected containers' resources in the canonical form Kubernetes
/// prints (`2000m` is `2`), as istioctl writes them.
fn canonical_resources(spec: &mut Json, template_pod: &Json) {
    let names: Vec<String> = ["containers", "initContainers"]
        .iter()
        .filter_map(|f| template_pod["spec"].get(*f)?.as_array())
        .flatten()
        .filter_map(name_of)
        .map(str::to_string)
        .collect();
    for name in names {
        if let Some(resources) =
            find_container_mut(spec, &name).and_then(|c| c.get_mut("resources"))
        {
            canonical_quantities(resources);
        }
    }
}

/// A user's `istio-proxy` running as another UID: `istio-init` must let
/// that UID's traffic out (Istio's `adjustInitContainerUser`); in TPROXY
/// mode the proxy must stay root.
fn align_init_user(spec: &mut Json, original_spec: &Json, mode: &str) {
    let user_proxy = ["containers", "initContainers"].iter().find_map(|f| {
        original_spec
            .get(*f)
            .and_then(Json::as_array)
            .and_then(|c| find_named(c, PROXY))
    });
    let Some(security) = user_proxy.and_then(|p| p.get("securityContext")) else {
        return;
    };
    let user = security.get("runAsUser").and_then(Json::as_i64);
    if mode == "TPROXY"
        && user.is_some()
        && let Some(proxy) = find_container_mut(spec, PROXY)
    {
        proxy["securityContext"]["runAsUser"] = json!(0);
    }
    let Some(uid) = user.filter(|u| *u != 0) else {
        return;
    };
    let Some(init) = find_container_mut(spec, INIT) else {
        return;
    };
    if let Some(args) = init.get_mut("args").and_then(Json::as_array_mut)
        && let Some(i) = args.iter().position(|a| a == "-u")
        && i + 1 < args.len()
    {
        args[i + 1] = json!(uid.to_string());
    }
}

pub fn find_container_mut<'a>(spec: &'a mut Json, name: &str) -> Option<&'a mut Json> {
    let map = spec.as_object_mut()?;
    let in_containers = map
        .get("containers")
        .and_then(Json::as_array)
        .is_some_and(|c| find_named(c, name).is_some());
    let field = if in_containers {
        "containers"
    } else {
        "initContainers"
    };
    map.get_mut(field)?
        .as_array_mut()?
        .iter_mut()
        .find(|c| name_of(c) == Some(name))
}

/// What Istio's `postProcessPod` does after the merge.
fn post_process(
    meta: &mut Json,
    spec: &mut Json,
    template_pod: &Json,
    w: &Workload,
) -> Result<(), PodError> {
    let config = w.config;
    let mesh_status_port = steering::agent_port(w.proxy_config);
    let meta_map = meta.as_object_mut().expect("metadata");
    let network = steering::label(w.meta, "topology.istio.io/network")
        .map(str::to_string)
        .unwrap_or_else(|| config.values.network.clone());
    cluster_env(spec, &config.values.cluster_name, &network);
    let annotations = object_at(meta_map, "annotations");
    match prometheus::plan(
        annotations,
        config.mesh.enable_prometheus_merge,
        &mesh_status_port.to_string(),
    )
    .map_err(|message| PodError::Field {
        field: "metadata.annotations[\"prometheus.io/port\"]".into(),
        message,
    })? {
        Merge::Leave => {}
        Merge::Apply { env } => {
            if let (Some(env), Some(proxy)) = (env, find_container_mut(spec, PROXY)) {
                push_env(proxy, prometheus::SCRAPE_ENV, env);
            }
            prometheus::point_at_agent(annotations, &mesh_status_port.to_string());
        }
    }
    secure_metrics_port(annotations, spec);
    if rewrites_probes(annotations, config) {
        if let Some(probers) = app_probers(spec, mesh_status_port)
            && let Some(proxy) = find_container_mut(spec, PROXY)
        {
            push_env(proxy, PROBERS_ENV, probers);
        }
        let port = annotations
            .get("status.sidecar.istio.io/port")
            .and_then(Json::as_str)
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(mesh_status_port);
        rewrite_probes(spec, port);
    }
    if !network.is_empty() {
        object_at(meta_map, "labels").insert("topology.istio.io/network".into(), json!(network));
    }
    let annotations = object_at(meta_map, "annotations");
    annotations.insert(STATUS.into(), json!(status(template_pod, &config.revision)));
    for (key, value) in &config.policy.injected_annotations {
        annotations.insert(key.clone(), json!(value));
    }
    reorder(spec, w.hold_application());
    Ok(())
}

/// `ISTIO_META_CLUSTER_ID` and `ISTIO_META_NETWORK` set from the values
/// or the pod's network label go last, in name order, replacing the
/// template's (Istio's `overwriteClusterInfo`).
fn cluster_env(spec: &mut Json, cluster: &str, network: &str) {
    let mut updates: Vec<(&str, &str)> = Vec::new();
    if !cluster.is_empty() {
        updates.push(("ISTIO_META_CLUSTER_ID", cluster));
    }
    if !network.is_empty() {
        updates.push(("ISTIO_META_NETWORK", network));
    }
    let Some(proxy) = find_container_mut(spec, PROXY).filter(|_| !updates.is_empty()) else {
        return;
    };
    let env = array_at(proxy.as_object_mut().expect("a container"), "env");
    env.retain(|e| !updates.iter().any(|(name, _)| name_of(e) == Some(name)));
    for (name, value) in updates {
        env.push(json!({"name": name, "value": value}));
    }
}

fn push_env(container: &mut Json, name: &str, value: String) {
    array_at(container.as_object_mut().expect("a container"), "env")
        .push(json!({"name": name, "value": value}));
}

/// `prometheus.istio.io/secure-port` from the proxy's
/// `ENVOY_SECURE_MERGED_METRICS_PORT`, unless the pod sets it.
fn secure_metrics_port(annotations: &mut Map<String, Json>, spec: &mut Json) {
    let secure_key = "prometheus_istio_io_secure_port";
    if annotations.keys().any(|k| prometheus::is(k, secure_key)) {
        return;
    }
    let port = find_container_mut(spec, PROXY).and_then(|proxy| {
        proxy.get("env").and_then(Json::as_array).and_then(|env| {
            env.iter()
                .find(|e| name_of(e) == Some("ENVOY_SECURE_MERGED_METRICS_PORT"))
                .and_then(|e| e.get("value")?.as_str())
                .filter(|v| !v.is_empty() && *v != "0")
                .map(str::to_string)
        })
    });
    if let Some(port) = port {
        annotations.insert("prometheus.istio.io/secure-port".into(), json!(port));
    }
}

fn rewrites_probes(annotations: &Map<String, Json>, config: &InjectConfig) -> bool {
    annotations
        .get("sidecar.istio.io/rewriteAppHTTPProbers")
        .and_then(Json::as_str)
        .and_then(prometheus::parse_go_bool)
        .unwrap_or(config.values.rewrite_app_http_probe)
}

/// `sidecar.istio.io/status`: what the template added, by name, so that a
/// later injection (or `--remove`) knows what is Istio's.
fn status(template_pod: &Json, revision: &str) -> String {
    let names = |field: &str| -> Json {
        match template_pod["spec"].get(field).and_then(Json::as_array) {
            Some(items) if !items.is_empty() => {
                Json::Array(items.iter().filter_map(name_of).map(Json::from).collect())
            }
            _ => Json::Null,
        }
    };
    let revision = if revision.is_empty() {
        "default"
    } else {
        revision
    };
    let mut status = Map::new();
    for field in [
        "initContainers",
        "containers",
        "volumes",
        "imagePullSecrets",
    ] {
        status.insert(field.into(), names(field));
    }
    status.insert("revision".into(), json!(revision));
    Json::Object(status).to_string()
}

/// The proxy last among the containers (first when the application must
/// wait for it); as a native sidecar, `istio-init` then the proxy first
/// among the init containers so that they run in the mesh, else
/// `istio-init` last so that no init container's traffic is captured.
fn reorder(spec: &mut Json, hold: bool) {
    let map = spec.as_object_mut().expect("spec");
    if let Some(containers) = map.get_mut("containers").and_then(Json::as_array_mut) {
        if hold {
            move_first(containers, PROXY)
        } else {
            move_last(containers, PROXY)
        }
    }
    let Some(init) = map.get_mut("initContainers").and_then(Json::as_array_mut) else {
        return;
    };
    if find_named(init, PROXY).is_some() {
        for name in [CORE_DUMP, PROXY, VALIDATION, INIT] {
            move_first(init, name);
        }
    } else {
        move_first(init, VALIDATION);
        move_last(init, INIT);
        move_last(init, CORE_DUMP);
    }
}

fn move_first(items: &mut Vec<Json>, name: &str) {
    if let Some(i) = items.iter().position(|c| name_of(c) == Some(name)) {
        let item = items.remove(i);
        items.insert(0, item);
    }
}

fn move_last(items: &mut Vec<Json>, name: &str) {
    if let Some(i) = items.iter().position(|c| name_of(c) == Some(name)) {
        let item = items.remove(i);
        items.push(item);
    }
}
