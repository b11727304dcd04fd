//! Istio's injection templates (`sidecar` and `gateway` of the
//! istio-discovery chart) as Rust: what they add to a pod, field by field,
//! from the values, the mesh settings, the pod's annotations and the
//! effective ProxyConfig. The result is the "template pod" that is merged
//! onto the workload's pod.

use serde_json::{Map, Value as Json, json};

use super::config::{InjectConfig, scalar_text};
use super::steering::{annotation, label};
use super::tree::{get, name_of, object};

pub const PROXY: &str = "istio-proxy";
pub const INIT: &str = "istio-init";

/// What a template reads about the workload.
pub struct Workload<'a> {
    /// The pod template's metadata and spec.
    pub meta: &'a Json,
    pub spec: &'a Json,
    /// The owning object's name and namespace (`DeploymentMeta`).
    pub owner_name: String,
    pub owner_namespace: String,
    /// The owning object's `apiVersion` and `kind` (`TypeMeta`).
    pub api_version: String,
    pub kind: String,
    pub config: &'a InjectConfig,
    pub proxy_config: &'a Map<String, Json>,
}

/// The templates meshctl models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Sidecar,
    Gateway,
    GrpcAgent,
    GrpcSimple,
}

impl Template {
    pub fn named(name: &str) -> Option<Template> {
        match name {
            "sidecar" => Some(Template::Sidecar),
            "gateway" => Some(Template::Gateway),
            "grpc-agent" => Some(Template::GrpcAgent),
            "grpc-simple" => Some(Template::GrpcSimple),
            _ => None,
        }
    }
}

impl Workload<'_> {
    /// An annotation's value, or the values' default when it is absent
    /// (the template's `annotation` function).
    pub(super) fn annotation_or(&self, name: &str, default: &str) -> String {
        annotation(self.meta, name).unwrap_or(default).to_string()
    }

    pub(super) fn has_annotation(&self, name: &str) -> bool {
        get(self.meta, &["annotations", name]).is_some()
    }

    /// `sidecar.istio.io/interceptionMode`, else the ProxyConfig's.
    pub fn interception_mode(&self) -> String {
        let mesh = self
            .proxy_config
            .get("interceptionMode")
            .and_then(Json::as_str)
            .unwrap_or("REDIRECT");
        self.annotation_or("sidecar.istio.io/interceptionMode", mesh)
    }

    /// Whether `istio-proxy` runs as a native sidecar: the pod's
    /// `sidecar.istio.io/nativeSidecar` unless empty, else the setting.
    pub fn native_sidecar(&self) -> bool {
        match annotation(self.meta, "sidecar.istio.io/nativeSidecar") {
            Some(value) if !value.is_empty() => value != "false",
            _ => self.config.native_sidecar,
        }
    }

    /// The ProxyConfig's or the values' holdApplicationUntilProxyStarts.
    pub fn hold_application(&self) -> bool {
        self.proxy_config
            .get("holdApplicationUntilProxyStarts")
            .and_then(Json::as_bool)
            .unwrap_or(false)
            || self.config.values.hold_application_until_proxy_starts
    }

    fn proxy_metadata(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .proxy_config
            .get("proxyMetadata")
            .and_then(Json::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), scalar_text(v)?)))
                    .collect()
            })
            .unwrap_or_default();
        // A Go template ranges over a map in key order.
        pairs.sort();
        pairs
    }

    pub(super) fn status_port(&self) -> String {
        self.annotation_or(
            "status.sidecar.istio.io/port",
            &self.config.values.status_port,
        )
    }

    /// The names of the application containers, `istio-proxy` left out.
    pub(super) fn app_containers(&self) -> Vec<String> {
        containers(self.spec, "containers")
            .iter()
            .filter_map(|c| name_of(c))
            .filter(|name| *name != PROXY)
            .map(str::to_string)
            .collect()
    }

    pub(super) fn image(&self, values_image: &str) -> String {
        let chosen = self.annotation_or("sidecar.istio.io/proxyImage", values_image);
        if chosen.contains('/') {
            return chosen;
        }
        let values = &self.config.values;
        let image_type = annotation(self.meta, "sidecar.istio.io/proxyImageType")
            .map(str::to_string)
            .or_else(|| {
                self.proxy_config
                    .get("image")
                    .and_then(|i| i.get("imageType"))
                    .and_then(Json::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| values.variant.clone());
        format!(
            "{}/{}:{}",
            values.hub,
            values_image,
            tag_with_type(&values.tag, &image_type)
        )
    }
}

/// A tag with the image type (`distroless`, `debug`) replaced or added, as
/// Istio's `updateImageTypeIfPresent` does.
fn tag_with_type(tag: &str, image_type: &str) -> String {
    if image_type.is_empty() {
        return tag.to_string();
    }
    let base = ["distroless", "debug"]
        .iter()
        .find_map(|known| tag.strip_suffix(&format!("-{known}")))
        .unwrap_or(tag);
    if image_type == "default" {
        base.to_string()
    } else {
        format!("{base}-{image_type}")
    }
}

fn containers<'a>(spec: &'a Json, field: &str) -> &'a [Json] {
    spec.get(field)
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Sprig's `default`: the first non-empty choice.
fn first_non_empty<'a>(choices: impl IntoIterator<Item = Option<&'a str>>) -> Option<&'a str> {
    choices.into_iter().flatten().find(|v| !v.is_empty())
}

/// The template pod: `{metadata: {labels, annotations}, spec: {...}}`.
pub fn render(template: Template, w: &Workload) -> Json {
    match template {
        Template::Sidecar => sidecar(w),
        Template::Gateway => gateway(w),
        Template::GrpcAgent => super::grpc::agent(w),
        Template::GrpcSimple => super::grpc::simple(w),
    }
}

fn sidecar(w: &Workload) -> Json {
    let native = w.native_sidecar();
    let mode = w.interception_mode();
    let mut init = Vec::new();
    if mode != "NONE" {
        init.push(istio_init(w, &mode));
    }
    let proxy = sidecar_proxy(w, &mode, native);
    let mut spec = Map::new();
    if native {
        init.push(proxy);
    } else {
        spec.insert("containers".into(), Json::Array(vec![proxy]));
    }
    if !init.is_empty() {
        spec.insert("initContainers".into(), Json::Array(init));
    }
    spec.insert("volumes".into(), Json::Array(volumes(w, Flavor::Sidecar)));
    add_image_pull_secrets(&mut spec, w);
    object([
        (
            "metadata",
            object([
                ("labels", sidecar_labels(w)),
                ("annotations", annotations(w)),
            ]),
        ),
        ("spec", Json::Object(spec)),
    ])
}

pub(super) fn canonical_labels(w: &Workload, labels: &mut Map<String, Json>, truncate: bool) {
    let mut name = first_non_empty([
        label(w.meta, "service.istio.io/canonical-name"),
        label(w.meta, "app.kubernetes.io/name"),
        label(w.meta, "app"),
        Some(w.owner_name.as_str()),
    ])
    .unwrap_or_default()
    .to_string();
    if truncate {
        // trunc 63 | trimAll "-_.": a label value's length and edges.
        name = name
            .chars()
            .take(63)
            .collect::<String>()
            .trim_matches(['-', '_', '.'])
            .to_string();
    }
    let revision = first_non_empty([
        label(w.meta, "service.istio.io/canonical-revision"),
        label(w.meta, "app.kubernetes.io/version"),
        label(w.meta, "version"),
    ])
    .unwrap_or("latest");
    labels.insert("service.istio.io/canonical-name".into(), json!(name));
    labels.insert(
        "service.istio.io/canonical-revision".into(),
        json!(revision),
    );
}

fn sidecar_labels(w: &Workload) -> Json {
    let mut labels = Map::new();
    let tls = first_non_empty([label(w.meta, "security.istio.io/tlsMode")]).unwrap_or("istio");
    labels.insert("security.istio.io/tlsMode".into(), json!(tls));
    let hbone = w
        .proxy_metadata()
        .iter()
        .any(|(k, v)| k == "ISTIO_META_ENABLE_HBONE" && v == "true");
    if hbone {
        let tunnel =
            first_non_empty([label(w.meta, "networking.istio.io/tunnel")]).unwrap_or("http");
        labels.insert("networking.istio.io/tunnel".into(), json!(tunnel));
    }
    canonical_labels(w, &mut labels, true);
    Json::Object(labels)
}

pub(super) fn annotations(w: &Workload) -> Json {
    let mut annotations = Map::new();
    let revision = if w.config.revision.is_empty() {
        "default"
    } else {
        &w.config.revision
    };
    annotations.insert("istio.io/rev".into(), json!(revision));
    if let Some(first) = w.app_containers().first() {
        for key in [
            "kubectl.kubernetes.io/default-logs-container",
            "kubectl.kubernetes.io/default-container",
        ] {
            if !w.has_annotation(key) {
                annotations.insert(key.into(), json!(first));
            }
        }
    }
    Json::Object(annotations)
}

fn excluded_inbound_ports(w: &Workload) -> String {
    let excluded = w.annotation_or(
        "traffic.sidecar.istio.io/excludeInboundPorts",
        &w.config.values.exclude_inbound_ports,
    );
    exclude_inbound_port(&w.status_port(), &excluded)
}

/// Istio's `excludeInboundPort`: the status port added to the excluded
/// inbound ports unless it is 0 or already there.
fn exclude_inbound_port(port: &str, excluded: &str) -> String {
    let port = port.trim();
    if port.is_empty() || port == "0" {
        return excluded.to_string();
    }
    let mut out = Vec::new();
    for p in excluded.split(',') {
        if p == port {
            return excluded.to_string();
        }
        if !p.trim().is_empty() {
            out.push(p.trim());
        }
    }
    out.push(port);
    out.join(",")
}

fn istio_init(w: &Workload, mode: &str) -> Json {
    let values = &w.config.values;
    let a = |name: &str, default: &str| w.annotation_or(name, default);
    // istio-init runs as root and captures everything but the proxy's
    // UID, 1337 in every interception mode.
    let mut args: Vec<String> = vec![
        "istio-iptables".into(),
        "-p".into(),
        w.config.mesh.proxy_listen_port.clone(),
        "-z".into(),
        w.config.mesh.proxy_inbound_listen_port.clone(),
        "-u".into(),
        "1337".into(),
        "-m".into(),
        mode.to_string(),
        "-i".into(),
        a(
            "traffic.sidecar.istio.io/includeOutboundIPRanges",
            &values.include_ip_ranges,
        ),
        "-x".into(),
        a(
            "traffic.sidecar.istio.io/excludeOutboundIPRanges",
            &values.exclude_ip_ranges,
        ),
        "-b".into(),
        a(
            "traffic.sidecar.istio.io/includeInboundPorts",
            &values.include_inbound_ports,
        ),
        "-d".into(),
    ];
    let excluded = excluded_inbound_ports(w);
    args.push(if excluded.is_empty() {
        "15090,15021".into()
    } else {
        format!("15090,15021,{excluded}")
    });
    for (flag, name, default) in [
        (
            "-q",
            "traffic.sidecar.istio.io/includeOutboundPorts",
            &values.include_outbound_ports,
        ),
        (
            "-o",
            "traffic.sidecar.istio.io/excludeOutboundPorts",
            &values.exclude_outbound_ports,
        ),
    ] {
        if w.has_annotation(name) || !default.is_empty() {
            args.extend([flag.to_string(), a(name, default)]);
        }
    }
    let virtual_interfaces = annotation(w.meta, "istio.io/reroute-virtual-interfaces")
        .or_else(|| annotation(w.meta, "traffic.sidecar.istio.io/kubevirtInterfaces"));
    if let Some(interfaces) = virtual_interfaces {
        args.extend(["-k".to_string(), interfaces.to_string()]);
    }
    if let Some(interfaces) = annotation(w.meta, "traffic.sidecar.istio.io/excludeInterfaces") {
        args.extend(["-c".to_string(), interfaces.to_string()]);
    }
    args.push(format!(
        "--log_output_level={}",
        a("sidecar.istio.io/agentLogLevel", &values.logging_level)
    ));
    if values.log_as_json {
        args.push("--log_as_json".into());
    }
    if values.force_apply_iptables {
        args.push("--force-apply".into());
    }
    if values.native_nftables {
        args.push("--native-nftables".into());
    }
    let mut container = Map::new();
    container.insert("name".into(), json!(INIT));
    container.insert("image".into(), json!(w.image(&values.proxy_init_image)));
    container.insert("args".into(), json!(args));
    if !values.image_pull_policy.is_empty() {
        container.insert("imagePullPolicy".into(), json!(values.image_pull_policy));
    }
    let metadata = w.proxy_metadata();
    if !metadata.is_empty() {
        container.insert("env".into(), env_pairs(&metadata));
    }
    container.insert("resources".into(), resources(w));
    let mut security = object([
        ("allowPrivilegeEscalation", json!(values.privileged)),
        ("privileged", json!(values.privileged)),
        (
            "capabilities",
            json!({"add": ["NET_ADMIN", "NET_RAW"], "drop": ["ALL"]}),
        ),
        ("readOnlyRootFilesystem", json!(false)),
        ("runAsGroup", json!(0)),
        ("runAsNonRoot", json!(false)),
        ("runAsUser", json!(0)),
    ]);
    if let Some(profile) = &values.seccomp_profile {
        security["seccompProfile"] = profile.clone();
    }
    container.insert("securityContext".into(), security);
    Json::Object(container)
}

fn env_pairs(pairs: &[(String, String)]) -> Json {
    Json::Array(
        pairs
            .iter()
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect(),
    )
}

/// The proxy's resources: the pod's `sidecar.istio.io/proxyCPU` (and
/// memory, limits) annotations when any is set, else the values'.
pub(super) fn resources(w: &Workload) -> Json {
    let pick = |cpu: &str, memory: &str| {
        let mut out = Map::new();
        if let Some(v) = annotation(w.meta, cpu) {
            out.insert("cpu".into(), json!(v));
        }
        if let Some(v) = annotation(w.meta, memory) {
            out.insert("memory".into(), json!(v));
        }
        out
    };
    let requests = pick("sidecar.istio.io/proxyCPU", "sidecar.istio.io/proxyMemory");
    let limits = pick(
        "sidecar.istio.io/proxyCPULimit",
        "sidecar.istio.io/proxyMemoryLimit",
    );
    if requests.is_empty() && limits.is_empty() {
        return drop_nulls(&w.config.values.resources);
    }
    let mut out = Map::new();
    if !requests.is_empty() {
        out.insert("requests".into(), Json::Object(requests));
    }
    if !limits.is_empty() {
        out.insert("limits".into(), Json::Object(limits));
    }
    Json::Object(out)
}

/// `omitNil`: null entries of the values left out.
fn drop_nulls(value: &Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), drop_nulls(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub(super) fn field_env(name: &str, path: &str) -> Json {
    json!({"name": name, "valueFrom": {"fieldRef": {"fieldPath": path}}})
}

pub(super) fn resource_env(name: &str, resource: &str) -> Json {
    json!({"name": name, "valueFrom": {"resourceFieldRef": {"divisor": "1", "resource": resource}}})
}

pub(super) fn value_env(name: &str, value: impl Into<String>) -> Json {
    json!({"name": name, "value": value.into()})
}

/// `PROXY_CONFIG`: the ProxyConfig fields set, as compact JSON.
fn proxy_config_json(w: &Workload) -> String {
    format!("{}\n", Json::Object(w.proxy_config.clone()))
}

/// `ISTIO_META_POD_PORTS`: every application port as JSON, one per line,
/// in the layout the template's whitespace gives it.
fn pod_ports(w: &Workload) -> String {
    let mut lines = Vec::new();
    for container in containers(w.spec, "containers") {
        for port in container
            .get("ports")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let mut ordered = Map::new();
            // Go's field order of ContainerPort, empty fields left out.
            for key in ["name", "hostPort", "containerPort", "protocol", "hostIP"] {
                if let Some(v) = port.get(key).filter(|v| !is_zero(v)) {
                    ordered.insert(key.into(), v.clone());
                }
            }
            let separator = if lines.is_empty() { "" } else { "," };
            lines.push(format!("    {separator}{}", Json::Object(ordered)));
        }
    }
    let mut out = String::from("[");
    for line in lines {
        out.push('\n');
        out.push_str(&line);
    }
    out.push_str("\n]");
    out
}

fn is_zero(value: &Json) -> bool {
    matches!(value, Json::Null) || value.as_str() == Some("") || value.as_i64() == Some(0)
}

pub(super) fn ca_address(w: &Workload) -> String {
    let values = &w.config.values;
    if !values.ca_address.is_empty() {
        return values.ca_address.clone();
    }
    let revision = if values.revision.is_empty() {
        String::new()
    } else {
        format!("-{}", values.revision)
    };
    format!("istiod{revision}.{}.svc:15012", values.istio_namespace)
}

/// The environment every template starts with; the gRPC agent has no
/// `ISTIO_CPU_LIMIT`.
pub(super) fn common_env(w: &Workload, cpu_limit: bool) -> Vec<Json> {
    let mut env = Vec::new();
    if w.config.mesh.inbound_localhost {
        env.push(value_env(
            "REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION",
            "true",
        ));
    }
    env.extend([
        value_env(
            "PILOT_CERT_PROVIDER",
            w.config.values.pilot_cert_provider.clone(),
        ),
        value_env("CA_ADDR", ca_address(w)),
        field_env("POD_NAME", "metadata.name"),
        field_env("POD_NAMESPACE", "metadata.namespace"),
        field_env("INSTANCE_IP", "status.podIP"),
        field_env("SERVICE_ACCOUNT", "spec.serviceAccountName"),
        field_env("HOST_IP", "status.hostIP"),
    ]);
    if cpu_limit {
        env.push(resource_env("ISTIO_CPU_LIMIT", "limits.cpu"));
    }
    env.push(value_env("PROXY_CONFIG", proxy_config_json(w)));
    env.push(value_env("ISTIO_META_POD_PORTS", pod_ports(w)));
    env
}

/// The identity environment after the app containers: cluster, node,
/// interception mode, network, workload, owner, mesh, trust domain, and
/// the ProxyConfig's `proxyMetadata`.
pub(super) fn identity_env(
    w: &Workload,
    mode: Option<&str>,
    workload_name: Option<&str>,
) -> Vec<Json> {
    let values = &w.config.values;
    let cluster = if values.cluster_name.is_empty() {
        "Kubernetes"
    } else {
        &values.cluster_name
    };
    let mut env = vec![
        value_env("ISTIO_META_CLUSTER_ID", cluster),
        field_env("ISTIO_META_NODE_NAME", "spec.nodeName"),
    ];
    if let Some(mode) = mode {
        env.push(value_env("ISTIO_META_INTERCEPTION_MODE", mode));
    }
    if !values.network.is_empty() {
        env.push(value_env("ISTIO_META_NETWORK", values.network.clone()));
    }
    if let Some(name) = workload_name.filter(|n| !n.is_empty()) {
        env.push(value_env("ISTIO_META_WORKLOAD_NAME", name));
    }
    if !w.api_version.is_empty() && !w.owner_name.is_empty() {
        let namespace = if w.owner_namespace.is_empty() {
            "default"
        } else {
            &w.owner_namespace
        };
        env.push(value_env(
            "ISTIO_META_OWNER",
            format!(
                "kubernetes://apis/{}/namespaces/{namespace}/{}s/{}",
                w.api_version,
                w.kind.to_lowercase(),
                w.owner_name
            ),
        ));
    }
    if w.has_annotation("sidecar.istio.io/bootstrapOverride") {
        env.push(value_env(
            "ISTIO_BOOTSTRAP_OVERRIDE",
            "/etc/istio/custom-bootstrap/custom_bootstrap.json",
        ));
    }
    let trust_domain = if w.config.mesh.trust_domain.is_empty() {
        &values.trust_domain
    } else {
        &w.config.mesh.trust_domain
    };
    let mesh_id = if values.mesh_id.is_empty() {
        trust_domain
    } else {
        &values.mesh_id
    };
    if !mesh_id.is_empty() {
        env.push(value_env("ISTIO_META_MESH_ID", mesh_id.clone()));
    }
    if !trust_domain.is_empty() {
        env.push(value_env("TRUST_DOMAIN", trust_domain.clone()));
    }
    env.extend(
        w.proxy_metadata()
            .iter()
            .map(|(k, v)| value_env(k, v.clone())),
    );
    env
}

pub(super) fn proxy_args(w: &Workload, role: &str) -> Vec<String> {
    let values = &w.config.values;
    let mut args = vec![
        "proxy".to_string(),
        role.to_string(),
        "--domain".into(),
        format!("$(POD_NAMESPACE).svc.{}", values.cluster_domain),
        format!(
            "--proxyLogLevel={}",
            w.annotation_or("sidecar.istio.io/logLevel", &values.log_level)
        ),
        format!(
            "--proxyComponentLogLevel={}",
            w.annotation_or(
                "sidecar.istio.io/componentLogLevel",
                &values.component_log_level
            )
        ),
        format!(
            "--log_output_level={}",
            w.annotation_or("sidecar.istio.io/agentLogLevel", &values.logging_level)
        ),
    ];
    if values.sts_port != 0 {
        args.push(format!("--stsPort={}", values.sts_port));
    }
    if values.log_as_json {
        args.push("--log_as_json".into());
    }
    if role == "sidecar" && !values.outlier_log_path.is_empty() {
        args.push(format!("--outlierLogPath={}", values.outlier_log_path));
    }
    args
}

/// The proxy's readiness probe, with the pod's
/// `readiness.status.sidecar.istio.io/*` over the values.
pub(super) fn readiness_probe(w: &Workload) -> Json {
    let values = &w.config.values;
    let a = |name: &str, default: &str| w.annotation_or(name, default);
    ready_probe(
        a(
            "readiness.status.sidecar.istio.io/initialDelaySeconds",
            &values.readiness_initial_delay_seconds,
        ),
        a(
            "readiness.status.sidecar.istio.io/periodSeconds",
            &values.readiness_period_seconds,
        ),
        a(
            "readiness.status.sidecar.istio.io/failureThreshold",
            &values.readiness_failure_threshold,
        ),
    )
}

pub(super) fn ready_probe(initial: String, period: String, failure: String) -> Json {
    let mut probe = Map::new();
    probe.insert(
        "httpGet".into(),
        json!({"path": "/healthz/ready", "port": 15021}),
    );
    for (key, value) in [
        ("initialDelaySeconds", initial),
        ("periodSeconds", period),
        ("timeoutSeconds", "3".into()),
        ("failureThreshold", failure),
    ] {
        // Go leaves a zero out of the printed probe.
        let number = value.trim().parse::<i64>().unwrap_or(0);
        if number != 0 {
            probe.insert(key.into(), json!(number));
        }
    }
    Json::Object(probe)
}

fn sidecar_proxy(w: &Workload, mode: &str, native: bool) -> Json {
    let values = &w.config.values;
    let tproxy = mode == "TPROXY";
    let cap_bind = w.annotation_or(
        "sidecar.istio.io/capNetBindService",
        &values.cap_net_bind_service.to_string(),
    ) == "true";
    let mut c = Map::new();
    c.insert("name".into(), json!(PROXY));
    c.insert("image".into(), json!(w.image(&values.proxy_image)));
    if native {
        c.insert("restartPolicy".into(), json!("Always"));
    }
    c.insert(
        "ports".into(),
        json!([{"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}]),
    );
    c.insert("args".into(), json!(proxy_args(w, "sidecar")));
    let hold = w.hold_application() && !native;
    if let Some(lifecycle) = &values.lifecycle {
        c.insert("lifecycle".into(), lifecycle.clone());
    } else if hold {
        c.insert(
            "lifecycle".into(),
            json!({"postStart": {"exec": {"command": ["pilot-agent", "wait"]}}}),
        );
    } else if native {
        // The drain starts when the pod starts shutting down; the proxy
        // gets SIGTERM once the application containers are gone.
        c.insert(
            "lifecycle".into(),
            json!({"preStop": {"exec": {"command": ["pilot-agent", "request", format!("--debug-port={}", w.status_port()), "POST", "drain"]}}}),
        );
    }
    let mut env = common_env(w, true);
    env.push(value_env(
        "ISTIO_META_APP_CONTAINERS",
        w.app_containers().join(","),
    ));
    env.push(resource_env("GOMEMLIMIT", "limits.memory"));
    let workload_name = first_non_empty([
        label(w.meta, "service.istio.io/workload-name"),
        Some(w.owner_name.as_str()),
    ]);
    env.extend(identity_env(w, Some(mode), workload_name));
    c.insert("env".into(), Json::Array(env));
    if !values.image_pull_policy.is_empty() {
        c.insert("imagePullPolicy".into(), json!(values.image_pull_policy));
    }
    if w.status_port() != "0" {
        if values.startup_probe_enabled {
            c.insert(
                "startupProbe".into(),
                ready_probe(
                    "0".into(),
                    "1".into(),
                    values.startup_failure_threshold.to_string(),
                ),
            );
        }
        c.insert("readinessProbe".into(), readiness_probe(w));
    }
    c.insert(
        "securityContext".into(),
        proxy_security(w, tproxy, cap_bind),
    );
    c.insert("resources".into(), resources(w));
    c.insert(
        "volumeMounts".into(),
        Json::Array(volume_mounts(w, Flavor::Sidecar)),
    );
    Json::Object(c)
}

fn proxy_security(w: &Workload, tproxy: bool, cap_bind: bool) -> Json {
    let values = &w.config.values;
    let trace = w
        .proxy_metadata()
        .iter()
        .any(|(k, v)| k == "IPTABLES_TRACE_LOGGING" && v == "true");
    let mut security = if trace {
        // iptables trace logging needs the proxy privileged and as root.
        json!({
            "allowPrivilegeEscalation": true,
            "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]},
            "privileged": true,
            "readOnlyRootFilesystem": true,
            "runAsGroup": 1337,
            "runAsNonRoot": false,
            "runAsUser": 0
        })
    } else {
        let mut add = Vec::new();
        if tproxy {
            add.push("NET_ADMIN");
        }
        if cap_bind {
            add.push("NET_BIND_SERVICE");
        }
        let capabilities = if add.is_empty() {
            json!({"drop": ["ALL"]})
        } else {
            json!({"add": add, "drop": ["ALL"]})
        };
        let root = tproxy || cap_bind;
        json!({
            "allowPrivilegeEscalation": values.privileged,
            "capabilities": capabilities,
            "privileged": values.privileged,
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": !root,
            "runAsUser": if root { 0 } else { 1337 },
            "runAsGroup": 1337
        })
    };
    if let Some(profile) = &values.seccomp_profile {
        security["seccompProfile"] = profile.clone();
    }
    security
}

pub(super) fn mount(name: &str, path: &str) -> Json {
    json!({"name": name, "mountPath": path})
}

pub(super) fn volume_mounts(w: &Workload, flavor: Flavor) -> Vec<Json> {
    let values = &w.config.values;
    let mut mounts = vec![mount(
        "workload-socket",
        "/var/run/secrets/workload-spiffe-uds",
    )];
    if flavor.credential_socket() {
        mounts.push(mount(
            "credential-socket",
            "/var/run/secrets/credential-uds",
        ));
    }
    if values.ca_name == "GkeWorkloadCertificate" {
        mounts.push(json!({"name": "gke-workload-certificate", "mountPath": "/var/run/secrets/workload-spiffe-credentials", "readOnly": true}));
    } else {
        mounts.push(mount(
            "workload-certs",
            "/var/run/secrets/workload-spiffe-credentials",
        ));
    }
    if values.pilot_cert_provider == "istiod" {
        mounts.push(mount("istiod-ca-cert", "/var/run/secrets/istio"));
        if flavor.crl() {
            mounts.push(mount("istio-ca-crl", "/var/run/secrets/istio/crl"));
        }
    }
    mounts.push(mount("istio-data", "/var/lib/istio/data"));
    if flavor != Flavor::GrpcAgent && w.has_annotation("sidecar.istio.io/bootstrapOverride") {
        mounts.push(mount(
            "custom-bootstrap-volume",
            "/etc/istio/custom-bootstrap",
        ));
    }
    mounts.push(mount(flavor.channel(), "/etc/istio/proxy"));
    mounts.push(mount("istio-token", "/var/run/secrets/tokens"));
    if values.mount_mtls_certs {
        mounts.push(json!({"name": "istio-certs", "mountPath": "/etc/certs/", "readOnly": true}));
    }
    mounts.push(mount("istio-podinfo", "/etc/istio/pod"));
    if flavor.user_volumes() {
        mounts.extend(user_entries(w, "sidecar.istio.io/userVolumeMount"));
    }
    mounts
}

/// `sidecar.istio.io/userVolume` / `userVolumeMount`: a JSON object of
/// name to volume (or mount), added in name order.
pub(super) fn user_entries(w: &Workload, annotation_name: &str) -> Vec<Json> {
    let Some(text) = annotation(w.meta, annotation_name) else {
        return Vec::new();
    };
    let Ok(Json::Object(entries)) = serde_json::from_str::<Json>(text) else {
        return Vec::new();
    };
    let mut named: Vec<(String, Json)> = entries.into_iter().collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named
        .into_iter()
        .map(|(name, value)| {
            let mut item = Map::new();
            item.insert("name".into(), json!(name));
            if let Json::Object(fields) = value {
                item.extend(fields.into_iter().filter(|(k, _)| k != "name"));
            }
            Json::Object(item)
        })
        .collect()
}

/// Which template's proxy volumes and mounts: they differ in the
/// credential socket, the CRL, the Envoy/xDS channel and user volumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Sidecar,
    Gateway,
    GrpcAgent,
}

impl Flavor {
    fn credential_socket(self) -> bool {
        self != Flavor::GrpcAgent
    }
    fn crl(self) -> bool {
        self == Flavor::Sidecar
    }
    fn user_volumes(self) -> bool {
        self != Flavor::Gateway
    }
    /// The agent's channel: Envoy's SDS socket, or gRPC's xDS/SDS one.
    fn channel(self) -> &'static str {
        if self == Flavor::GrpcAgent {
            "istio-xds"
        } else {
            "istio-envoy"
        }
    }
}

pub(super) fn volumes(w: &Workload, flavor: Flavor) -> Vec<Json> {
    let values = &w.config.values;
    let mut volumes = vec![json!({"name": "workload-socket", "emptyDir": {}})];
    if flavor.credential_socket() {
        volumes.push(json!({"name": "credential-socket", "emptyDir": {}}));
    }
    if values.ca_name == "GkeWorkloadCertificate" {
        volumes.push(json!({"name": "gke-workload-certificate", "csi": {"driver": "workloadcertificates.security.cloud.google.com"}}));
    } else {
        volumes.push(json!({"name": "workload-certs", "emptyDir": {}}));
    }
    if let Some(config_map) = annotation(w.meta, "sidecar.istio.io/bootstrapOverride") {
        volumes.push(json!({"name": "custom-bootstrap-volume", "configMap": {"name": config_map}}));
    }
    volumes.extend([
        json!({"name": flavor.channel(), "emptyDir": {"medium": "Memory"}}),
        json!({"name": "istio-data", "emptyDir": {}}),
        json!({"name": "istio-podinfo", "downwardAPI": {"items": [
            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
            {"path": "annotations", "fieldRef": {"fieldPath": "metadata.annotations"}}
        ]}}),
        json!({"name": "istio-token", "projected": {"sources": [
            {"serviceAccountToken": {"path": "istio-token", "expirationSeconds": 43200, "audience": values.sds_token_audience}}
        ]}}),
    ]);
    if values.pilot_cert_provider == "istiod" {
        volumes.push(ca_cert_volume(values));
    }
    if flavor.crl() {
        let crl = if values.crl_config_map_name.is_empty() {
            "istio-ca-crl"
        } else {
            &values.crl_config_map_name
        };
        volumes.push(json!({"name": "istio-ca-crl", "configMap": {"name": crl, "optional": true}}));
    }
    if values.mount_mtls_certs {
        let account = w
            .spec
            .get("serviceAccountName")
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("default");
        volumes.push(json!({"name": "istio-certs", "secret": {"optional": true, "secretName": format!("istio.{account}")}}));
    }
    if flavor.user_volumes() {
        volumes.extend(user_entries(w, "sidecar.istio.io/userVolume"));
    }
    volumes
}

/// istiod's root certificate: from a ClusterTrustBundle when istiod
/// publishes one, else from the ConfigMap it writes in every namespace.
fn ca_cert_volume(values: &super::config::Values) -> Json {
    let named = |default: &str| {
        if values.trust_bundle_name.is_empty() {
            default.to_string()
        } else {
            values.trust_bundle_name.clone()
        }
    };
    if values.cluster_trust_bundle {
        let name = format!("istio.io:istiod-ca:{}", named("root-cert"));
        json!({"name": "istiod-ca-cert", "projected": {"sources": [
            {"clusterTrustBundle": {"name": name, "path": "root-cert.pem"}}
        ]}})
    } else {
        json!({"name": "istiod-ca-cert", "configMap": {"name": named("istio-ca-root-cert")}})
    }
}

pub(super) fn add_image_pull_secrets(spec: &mut Map<String, Json>, w: &Workload) {
    let secrets = &w.config.values.image_pull_secrets;
    if !secrets.is_empty() {
        spec.insert(
            "imagePullSecrets".into(),
            Json::Array(secrets.iter().map(|s| json!({"name": s})).collect()),
        );
    }
}

fn gateway(w: &Workload) -> Json {
    let values = &w.config.values;
    let mode = w
        .proxy_config
        .get("interceptionMode")
        .and_then(Json::as_str)
        .unwrap_or("REDIRECT")
        .to_string();
    let mut c = Map::new();
    c.insert("name".into(), json!(PROXY));
    c.insert("image".into(), json!(w.image(&values.proxy_image)));
    c.insert(
        "ports".into(),
        json!([{"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}]),
    );
    c.insert("args".into(), json!(proxy_args(w, "router")));
    if let Some(lifecycle) = &values.lifecycle {
        c.insert("lifecycle".into(), lifecycle.clone());
    }
    c.insert(
        "securityContext".into(),
        json!({"runAsUser": 1337, "runAsGroup": 1337}),
    );
    let mut env = common_env(w, true);
    env.push(resource_env("GOMEMLIMIT", "limits.memory"));
    env.push(value_env(
        "ISTIO_META_APP_CONTAINERS",
        w.app_containers().join(","),
    ));
    env.extend(identity_env(w, Some(&mode), Some(w.owner_name.as_str())));
    c.insert("env".into(), Json::Array(env));
    if !values.image_pull_policy.is_empty() {
        c.insert("imagePullPolicy".into(), json!(values.image_pull_policy));
    }
    c.insert(
        "readinessProbe".into(),
        ready_probe(
            values.readiness_initial_delay_seconds.clone(),
            values.readiness_period_seconds.clone(),
            values.readiness_failure_threshold.clone(),
        ),
    );
    c.insert(
        "volumeMounts".into(),
        Json::Array(volume_mounts(w, Flavor::Gateway)),
    );
    let security = values.gateway_security_context.clone().unwrap_or_else(|| {
        // Lets the gateway bind ports below 1024 without privileges.
        json!({"sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]})
    });
    let mut spec = Map::new();
    spec.insert("securityContext".into(), security);
    spec.insert("containers".into(), json!([Json::Object(c)]));
    spec.insert("volumes".into(), Json::Array(volumes(w, Flavor::Gateway)));
    add_image_pull_secrets(&mut spec, w);
    let mut labels = Map::new();
    canonical_labels(w, &mut labels, false);
    object([
        (
            "metadata",
            object([
                ("labels", Json::Object(labels)),
                ("annotations", annotations(w)),
            ]),
        ),
        ("spec", Json::Object(spec)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_port_joins_the_excluded_inbound_ports_once() {
        assert_eq!(exclude_inbound_port("15020", ""), "15020");
        assert_eq!(exclude_inbound_port("15020", "80, 81"), "80,81,15020");
        assert_eq!(exclude_inbound_port("15020", "15020"), "15020");
        assert_eq!(exclude_inbound_port("0", "80"), "80");
    }

    #[test]
    fn the_root_certificate_comes_from_a_cluster_trust_bundle_when_istiod_publishes_one() {
        let mut values = super::super::config::Values::default();
        assert_eq!(
            ca_cert_volume(&values)["configMap"]["name"],
            "istio-ca-root-cert"
        );
        values.cluster_trust_bundle = true;
        assert_eq!(
            ca_cert_volume(&values)["projected"]["sources"][0]["clusterTrustBundle"]["name"],
            "istio.io:istiod-ca:root-cert"
        );
    }

    #[test]
    fn image_types_replace_the_tags_suffix() {
        assert_eq!(tag_with_type("1.32.0", ""), "1.32.0");
        assert_eq!(tag_with_type("1.32.0-distroless", "debug"), "1.32.0-debug");
        assert_eq!(tag_with_type("1.32.0-distroless", "default"), "1.32.0");
    }
}
