//! Istio's proxyless gRPC templates: `grpc-agent` (the agent without
//! Envoy, serving xDS and certificates to the application over a socket)
//! and `grpc-simple` (only a bootstrap file written by an init container).
//! Both turn off probe rewriting, since no proxy intercepts traffic, and
//! configure the application containers themselves.

use serde_json::{Map, Value as Json, json};

use super::template::{
    Flavor, PROXY, Workload, add_image_pull_secrets, annotations, canonical_labels, common_env,
    identity_env, proxy_args, readiness_probe, resources, user_entries, value_env, volume_mounts,
    volumes,
};
use super::tree::{name_of, object};

/// The agent's readiness, on its own status port (no Envoy to ask).
const AGENT_READY: &str = "/healthz/ready";

/// The labels and annotations both templates add.
fn metadata(w: &Workload) -> Json {
    let mut labels = Map::new();
    canonical_labels(w, &mut labels, false);
    let mut annotations = annotations(w);
    annotations["sidecar.istio.io/rewriteAppHTTPProbers"] = json!("false");
    object([
        ("labels", Json::Object(labels)),
        ("annotations", annotations),
    ])
}

fn app_container_names(w: &Workload) -> Vec<String> {
    w.spec
        .get("containers")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(name_of)
        .map(str::to_string)
        .collect()
}

pub fn agent(w: &Workload) -> Json {
    let values = &w.config.values;
    let mut c = Map::new();
    c.insert("name".into(), json!(PROXY));
    c.insert("image".into(), json!(w.image(&values.proxy_image)));
    c.insert(
        "ports".into(),
        json!([{"containerPort": 15020, "protocol": "TCP", "name": "mesh-metrics"}]),
    );
    let mut args = proxy_args(w, "sidecar");
    // The gRPC template has no outlier log path.
    args.retain(|a| !a.starts_with("--outlierLogPath="));
    c.insert("args".into(), json!(args));
    c.insert(
        "lifecycle".into(),
        json!({"postStart": {"exec": {"command": ["pilot-agent", "wait", "--url=http://localhost:15020/healthz/ready"]}}}),
    );
    let mut env = vec![
        value_env("ISTIO_META_GENERATOR", "grpc"),
        value_env("OUTPUT_CERTS", "/var/lib/istio/data"),
    ];
    env.extend(common_env(w, false));
    let apps: Vec<String> = w.app_containers();
    env.push(value_env("ISTIO_META_APP_CONTAINERS", apps.join(",")));
    env.extend(identity_env(w, None, Some(w.owner_name.as_str())));
    // gRPC resolves xds:/// names itself: no DNS capture, no Envoy.
    env.push(value_env("ISTIO_META_DNS_CAPTURE", "false"));
    env.push(value_env("DISABLE_ENVOY", "true"));
    c.insert("env".into(), Json::Array(env));
    if !values.image_pull_policy.is_empty() {
        c.insert("imagePullPolicy".into(), json!(values.image_pull_policy));
    }
    let mut mounts = user_entries(w, "sidecar.istio.io/userVolumeMount");
    if w.status_port() != "0" {
        let mut probe = readiness_probe(w);
        probe["httpGet"] = json!({"path": AGENT_READY, "port": 15020});
        c.insert("readinessProbe".into(), probe);
        c.insert("resources".into(), resources(w));
        mounts = volume_mounts(w, Flavor::GrpcAgent);
    }
    c.insert("volumeMounts".into(), Json::Array(mounts));
    let mut containers = vec![Json::Object(c)];
    for name in w.app_containers() {
        containers.push(json!({
            "name": name,
            "env": [
                {"name": "GRPC_XDS_EXPERIMENTAL_SECURITY_SUPPORT", "value": "true"},
                {"name": "GRPC_XDS_BOOTSTRAP", "value": "/etc/istio/proxy/grpc-bootstrap.json"}
            ],
            "volumeMounts": [
                {"mountPath": "/var/lib/istio/data", "name": "istio-data"},
                {"mountPath": "/etc/istio/proxy", "name": "istio-xds"},
                workload_certs_mount(w)
            ]
        }));
    }
    let mut spec = Map::new();
    spec.insert("containers".into(), Json::Array(containers));
    spec.insert("volumes".into(), Json::Array(volumes(w, Flavor::GrpcAgent)));
    add_image_pull_secrets(&mut spec, w);
    object([("metadata", metadata(w)), ("spec", Json::Object(spec))])
}

fn workload_certs_mount(w: &Workload) -> Json {
    if w.config.values.ca_name == "GkeWorkloadCertificate" {
        json!({"name": "gke-workload-certificate", "mountPath": "/var/run/secrets/workload-spiffe-credentials", "readOnly": true})
    } else {
        json!({"name": "workload-certs", "mountPath": "/var/run/secrets/workload-spiffe-credentials"})
    }
}

/// The bootstrap the init container writes: istiod over plain text, with
/// this pod's node id.
const BOOTSTRAP_SCRIPT: &str = r#"NODE_ID="sidecar~${INSTANCE_IP}~${POD_NAME}.${POD_NAMESPACE}~cluster.local"
SERVER_URI="dns:///istiod.${ISTIO_NAMESPACE}.svc:15010"
echo '
{
  "xds_servers": [
    {
      "server_uri": "'${SERVER_URI}'",
      "channel_creds": [{"type": "insecure"}],
      "server_features" : ["xds_v3"]
    }
  ],
  "node": {
    "id": "'${NODE_ID}'",
    "metadata": {
      "GENERATOR": "grpc"
    }
  }
}' > /var/lib/grpc/data/bootstrap.json"#;

pub fn simple(w: &Workload) -> Json {
    let bootstrap_mount =
        json!({"mountPath": "/var/lib/grpc/data/", "name": "grpc-io-proxyless-bootstrap"});
    let init = json!({
        "name": "grpc-bootstrap-init",
        "image": "busybox:1.28",
        "volumeMounts": [bootstrap_mount.clone()],
        "env": [
            {"name": "INSTANCE_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
            {"name": "ISTIO_NAMESPACE", "value": format!("{}\n", w.config.values.istio_namespace)}
        ],
        "command": ["sh", "-c", BOOTSTRAP_SCRIPT]
    });
    let containers: Vec<Json> = app_container_names(w)
        .into_iter()
        .map(|name| {
            json!({
                "name": name,
                "env": [
                    {"name": "GRPC_XDS_BOOTSTRAP", "value": "/var/lib/grpc/data/bootstrap.json"},
                    {"name": "GRPC_GO_LOG_VERBOSITY_LEVEL", "value": "99"},
                    {"name": "GRPC_GO_LOG_SEVERITY_LEVEL", "value": "info"}
                ],
                "volumeMounts": [bootstrap_mount.clone()]
            })
        })
        .collect();
    json!({
        "metadata": {"annotations": {"sidecar.istio.io/rewriteAppHTTPProbers": "false"}},
        "spec": {
            "initContainers": [init],
            "containers": containers,
            "volumes": [{"name": "grpc-io-proxyless-bootstrap", "emptyDir": {}}]
        }
    })
}
