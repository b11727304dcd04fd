//! `meshctl kube-inject`: golden outputs of the fixtures in
//! `testdata/inject/`, Istio's own inject cases (`../shared`), every skip
//! rule and error, the configuration flags, and properties over every
//! fixture and conformance input and over generated Deployments:
//! injecting twice is injecting once, `--remove` gives the input back, and
//! every output reads as the Kubernetes type of its kind with no field
//! left over.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin;
use k8s_openapi::api::{apps::v1 as apps, batch::v1 as batch, core::v1 as core};
use meshctl::inject::{self, InjectConfig, Mode, Options};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::common::{meshctl, shared};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/inject")
}

/// The manifests directly in `dir`, sorted.
fn manifests(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    files.sort();
    files
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn kube_inject(args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = meshctl();
    command.arg("kube-inject").args(args);
    let output = match stdin {
        Some(input) => assert_cmd::Command::from_std(command)
            .write_stdin(input)
            .output(),
        None => command.output(),
    }
    .expect("meshctl runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the engine on a stream, as the command does.
fn rewrite(text: &str, mode: Mode, config: &InjectConfig) -> Result<String, String> {
    let mut out = Vec::new();
    let options = Options {
        mode,
        format: None,
        diff: false,
    };
    inject::rewrite_stream("input", text.as_bytes(), config, options, &mut out)
        .map_err(|e| format!("{e:?}"))?;
    Ok(String::from_utf8(out).unwrap())
}

/// The documents of a stream as JSON (through the loader, as meshctl reads them).
fn documents(text: &str) -> Vec<Value> {
    let source = meshctl::loader::SourceFile::new("out", text.to_string());
    meshctl::loader::parse_documents(&source, &meshctl::loader::Limits::default())
        .iter()
        .filter_map(|d| d.root.as_ref().map(meshctl::loader::Node::to_json))
        .filter(|v| !v.is_null())
        .collect()
}

/// A document as Kubernetes compares it: entries with an empty value
/// dropped (what Go's `omitempty` adds or removes) and quantities in
/// canonical form.
fn normal(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normal(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normal).collect()),
        Value::String(s) => Value::String(
            meshctl::normal::canonical_quantity(s)
                .filter(|_| looks_like_quantity(s))
                .unwrap_or_else(|| s.clone()),
        ),
        other => other.clone(),
    }
}

/// A document for the remove round trip: [`normal`], with probe ports
/// that a container names written as their numbers. Injection writes
/// named ports as numbers, so `--remove` cannot tell `port: http` from
/// `port: 8080` and writes the name back (the kubelet reads both alike).
fn comparable(doc: &Value) -> Value {
    let mut doc = normal(doc);
    resolve_named_probe_ports(&mut doc);
    doc
}

fn resolve_named_probe_ports(value: &mut Value) {
    if let Some(containers) = value.get_mut("containers").and_then(Value::as_array_mut) {
        for container in containers {
            let ports: Vec<(Value, Value)> = container["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| Some((p.get("name")?.clone(), p.get("containerPort")?.clone())))
                .collect();
            for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
                for action in ["httpGet", "tcpSocket"] {
                    if let Some(port) = container
                        .get_mut(probe)
                        .and_then(|p| p.get_mut(action))
                        .and_then(|a| a.get_mut("port"))
                        && let Some((_, number)) = ports.iter().find(|(name, _)| name == port)
                    {
                        *port = number.clone();
                    }
                }
            }
        }
    }
    match value {
        Value::Object(map) => map.values_mut().for_each(resolve_named_probe_ports),
        Value::Array(items) => items.iter_mut().for_each(resolve_named_probe_ports),
        _ => {}
    }
}

fn looks_like_quantity(s: &str) -> bool {
    s.ends_with('m') || s.ends_with("Mi") || s.ends_with("Gi")
}

fn is_empty(v: &Value) -> bool {
    v.is_null()
        || v == ""
        || v.as_object().is_some_and(|m| m.is_empty())
        || v.as_array().is_some_and(Vec::is_empty)
}

fn conformance_inputs() -> Vec<PathBuf> {
    let Some(dir) = shared("conformance/istio-inject/testdata") else {
        return Vec::new();
    };
    manifests(&dir)
}

fn all_inputs() -> Vec<PathBuf> {
    let mut inputs = manifests(&fixtures_dir());
    inputs.extend(manifests(&fixtures_dir().join("skip")));
    inputs.extend(conformance_inputs());
    inputs
}

#[test]
fn fixtures_inject_as_their_snapshots() {
    for file in manifests(&fixtures_dir()) {
        let relative = file
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let run = kube_inject(&["-f", &relative], None);
        assert_eq!(run.status, 0, "{relative}: {}", run.stderr);
        let name = file
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .replace('.', "_");
        insta::assert_snapshot!(format!("golden@{name}"), run.stdout);
    }
}

#[test]
fn every_istio_inject_case_passes() {
    let Some(runner) = shared("conformance/istio-inject/run.py") else {
        return;
    };
    let output = Command::new("python3")
        .arg(&runner)
        .arg("--meshctl")
        .arg(cargo_bin("meshctl"))
        .arg("-v")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs the conformance runner");
    let report = String::from_utf8_lossy(&output.stdout);
    let summary = report.lines().last().unwrap_or_default();
    // Every one of the 77 cases passes today; fewer is a regression.
    assert!(
        output.status.success() && summary == "77 passed, 0 failed",
        "{report}"
    );
}

#[test]
fn injecting_twice_is_injecting_once() {
    let config = InjectConfig::default();
    for file in all_inputs() {
        let text = fs::read_to_string(&file).unwrap();
        let Ok(once) = rewrite(&text, Mode::Inject, &config) else {
            continue; // the error cases
        };
        let twice = rewrite(&once, Mode::Inject, &config).unwrap();
        assert_eq!(once, twice, "{}", file.display());
    }
}

#[test]
fn remove_gives_the_input_back() {
    let config = InjectConfig::default();
    for file in all_inputs() {
        let text = fs::read_to_string(&file).unwrap();
        let Ok(injected) = rewrite(&text, Mode::Inject, &config) else {
            continue;
        };
        let removed = rewrite(&injected, Mode::Remove, &config).unwrap();
        let original: Vec<Value> = documents(&text).iter().map(comparable).collect();
        let back: Vec<Value> = documents(&removed).iter().map(comparable).collect();
        assert_eq!(original, back, "{}", file.display());
    }
}

#[test]
fn every_output_reads_as_its_kubernetes_type() {
    let config = InjectConfig::default();
    for file in all_inputs() {
        let text = fs::read_to_string(&file).unwrap();
        let Ok(injected) = rewrite(&text, Mode::Inject, &config) else {
            continue;
        };
        for doc in documents(&injected) {
            assert_typed(&doc, &file);
        }
    }
}

/// Deserializes a workload into its k8s-openapi type and back: a field
/// the type does not know would be lost on the way.
fn assert_typed(doc: &Value, file: &Path) {
    fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(doc: &Value) -> Value {
        let typed: T = serde_json::from_value(doc.clone()).expect("reads as its type");
        serde_json::to_value(typed).unwrap()
    }
    let back = match doc["kind"].as_str().unwrap_or_default() {
        "Pod" => round_trip::<core::Pod>(doc),
        "ReplicationController" => round_trip::<core::ReplicationController>(doc),
        "Deployment" => round_trip::<apps::Deployment>(doc),
        "DaemonSet" => round_trip::<apps::DaemonSet>(doc),
        "StatefulSet" => round_trip::<apps::StatefulSet>(doc),
        "ReplicaSet" => round_trip::<apps::ReplicaSet>(doc),
        "Job" => round_trip::<batch::Job>(doc),
        "CronJob" => round_trip::<batch::CronJob>(doc),
        "DeploymentConfig" => {
            // OpenShift's kind is not in k8s-openapi; its pod template is Kubernetes'.
            let template = &doc["spec"]["template"];
            let back = round_trip::<core::PodTemplateSpec>(template);
            assert_eq!(
                normal(template),
                normal(&back),
                "{}: DeploymentConfig template",
                file.display()
            );
            return;
        }
        kind if kind.ends_with("List") => {
            for item in doc["items"].as_array().into_iter().flatten() {
                assert_typed(item, file);
            }
            return;
        }
        _ => return,
    };
    assert_eq!(
        normal(doc),
        normal(&back),
        "{}: {}",
        file.display(),
        doc["kind"]
    );
}

#[test]
fn other_documents_and_comments_come_out_byte_for_byte() {
    let run = kube_inject(&["-f", "testdata/inject/shop.yaml"], None);
    let input = fs::read_to_string(fixtures_dir().join("shop.yaml")).unwrap();
    let service_end = input.find("---\n# web").unwrap();
    assert!(
        run.stdout.starts_with(&input[..service_end + 4]),
        "{}",
        run.stdout
    );
    let config_map = &input[input.rfind("---\napiVersion: v1\nkind: ConfigMap").unwrap()..];
    assert!(run.stdout.ends_with(config_map), "{}", run.stdout);
    assert!(
        run.stdout.contains("---\n# web: two containers"),
        "the comment before a workload stays"
    );
}

#[test]
fn skipped_pods_come_out_as_they_came_with_the_reason_on_stderr() {
    let expectations = [
        (
            "host-network.yaml",
            "Pod/node-agent has host networking enabled",
        ),
        (
            "opted-out.yaml",
            "Deployment/by-annotation has sidecar injection disabled",
        ),
        (
            "system-namespace.yaml",
            "Pod/dns is in a namespace the injector ignores",
        ),
    ];
    for (file, reason) in expectations {
        let path = format!("testdata/inject/skip/{file}");
        let run = kube_inject(&["-f", &path], None);
        assert_eq!(run.status, 0, "{file}: {}", run.stderr);
        assert_eq!(run.stdout, fs::read_to_string(&path).unwrap(), "{file}");
        assert!(run.stderr.contains(reason), "{file}: {}", run.stderr);
    }
    let opted_out = kube_inject(&["-f", "testdata/inject/skip/opted-out.yaml"], None);
    assert!(
        opted_out
            .stderr
            .contains("Deployment/by-label has sidecar injection disabled")
    );
    assert!(
        opted_out.stderr.contains("Deployment/by-annotation: annotation \"sidecar.istio.io/inject\" is deprecated; use the sidecar.istio.io/inject label"),
        "{}",
        opted_out.stderr
    );
    let unsure = "kind: Pod\nmetadata: {name: p, labels: {sidecar.istio.io/inject: maybe}}\nspec: {containers: [{name: a, image: a}]}\n";
    let run = kube_inject(&["-f", "-"], Some(unsure));
    assert!(
        run.stdout.contains("istio-proxy"),
        "the policy decides: inject"
    );
    assert!(
        run.stderr
            .contains("\"maybe\" is neither \"true\" nor \"false\""),
        "{}",
        run.stderr
    );
}

#[test]
fn an_injected_pod_is_left_alone() {
    let injected = kube_inject(&["-f", "testdata/inject/pod.json"], None).stdout;
    let again = kube_inject(&["-f", "-"], Some(&injected));
    assert_eq!(again.stdout, injected);
    assert!(
        again.stderr.contains("Pod/debug is already injected"),
        "{}",
        again.stderr
    );
}

#[test]
fn errors_exit_2_naming_the_document_and_field_with_nothing_on_stdout() {
    let expectations = [
        (
            "not-yaml.yaml",
            "not-yaml.yaml:10: document 1 (Deployment/broken): not valid YAML",
        ),
        (
            "no-containers.yaml",
            "document 0 (Deployment/empty), field spec.template.spec.containers: the pod has no containers",
        ),
        (
            "bad-cidr.yaml",
            "document 0 (Pod/egress), field metadata.annotations[\"traffic.sidecar.istio.io/includeOutboundIPRanges\"]: invalid value \"not-a-cidr\"",
        ),
        (
            "bad-interception.yaml",
            "document 0 (Deployment/capture), field spec.template.metadata.annotations[\"sidecar.istio.io/interceptionMode\"]: invalid value \"MAGIC\"",
        ),
        (
            "bad-quantity.yaml",
            "(Pod/hungry), field metadata.annotations[\"sidecar.istio.io/proxyMemory\"]: invalid value \"lots\"",
        ),
        (
            "no-template.yaml",
            "document 0 (Deployment/hollow), field spec.template: the pod template is missing",
        ),
        (
            "unknown-template.yaml",
            "requested template \"waypoint\" is not one meshctl models",
        ),
    ];
    for (file, message) in expectations {
        let path = format!("testdata/inject/errors/{file}");
        let run = kube_inject(&["-f", &path], None);
        assert_eq!(run.status, 2, "{file}");
        assert_eq!(run.stdout, "", "{file}: nothing half-done on stdout");
        assert!(
            run.stderr.contains(&path) && run.stderr.contains(message),
            "{file}: {}",
            run.stderr
        );
    }
}

#[test]
fn an_error_after_good_documents_prints_none_of_them() {
    let stream = "kind: Pod\nmetadata: {name: fine}\nspec: {containers: [{name: a, image: a}]}\n---\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: []}\n";
    let run = kube_inject(&["-f", "-"], Some(stream));
    assert_eq!((run.status, run.stdout.as_str()), (2, ""));
    assert!(
        run.stderr.contains("-: document 1 (Pod/bad)"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_shows_what_injection_changes_per_workload() {
    let run = kube_inject(
        &[
            "--diff",
            "-f",
            "testdata/inject/skip/host-network.yaml",
            "-f",
            "testdata/inject/batch.yaml",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn output_format_is_chosen_with_o() {
    let json_out = kube_inject(&["-o", "json", "-f", "testdata/inject/batch.yaml"], None);
    let first = json_out.stdout.split("---\n").next().unwrap();
    let parsed: Value = serde_json::from_str(first).expect("JSON output");
    assert_eq!(parsed["kind"], "CronJob");
    let yaml_out = kube_inject(&["-o", "yaml", "-f", "testdata/inject/pod.json"], None);
    assert!(
        yaml_out.stdout.starts_with("apiVersion: v1\nkind: Pod\n"),
        "{}",
        yaml_out.stdout
    );
}

#[test]
fn classic_sidecars_on_request() {
    let run = kube_inject(
        &[
            "--native-sidecar=false",
            "-f",
            "testdata/inject/pod.json",
            "-o",
            "yaml",
        ],
        None,
    );
    let pod = &documents(&run.stdout)[0];
    let names = |field: &str| -> Vec<&str> {
        pod["spec"][field]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect()
    };
    assert_eq!(names("initContainers"), ["istio-init"]);
    assert_eq!(names("containers"), ["shell", "istio-proxy"]);
}

#[test]
fn configuration_files_and_flags_drive_injection() {
    let run = kube_inject(
        &[
            "-f",
            "testdata/inject/pod.json",
            "-o",
            "yaml",
            "--valuesFile",
            "testdata/inject/config/values.yaml",
            "--meshConfigFile",
            "testdata/inject/config/mesh.yaml",
            "--revision",
            "canary",
            "--tag",
            "1.32.1",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let pod = &documents(&run.stdout)[0];
    let proxy = pod["spec"]["initContainers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "istio-proxy")
        .unwrap();
    assert_eq!(proxy["image"], "registry.example.com/istio/proxyv2:1.32.1");
    assert_eq!(proxy["imagePullPolicy"], "IfNotPresent");
    assert_eq!(
        proxy["resources"],
        json!({"requests": {"cpu": "10m", "memory": "40Mi"}})
    );
    let env = |name: &str| {
        proxy["env"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .map(|e| e["value"].clone())
    };
    assert_eq!(
        env("CA_ADDR"),
        Some(json!("istiod-canary.istio-system.svc:15012"))
    );
    assert_eq!(env("TRUST_DOMAIN"), Some(json!("shop.example")));
    assert_eq!(env("ISTIO_META_MESH_ID"), Some(json!("shop-mesh")));
    assert_eq!(env("ISTIO_META_CLUSTER_ID"), Some(json!("east")));
    assert_eq!(env("ISTIO_META_DNS_CAPTURE"), Some(json!("true")));
    assert_eq!(
        env("PROXY_CONFIG"),
        Some(json!(
            "{\"holdApplicationUntilProxyStarts\":true,\"proxyMetadata\":{\"ISTIO_META_DNS_CAPTURE\":\"true\"}}\n"
        ))
    );
    assert_eq!(
        pod["spec"]["imagePullSecrets"],
        json!([{"name": "regcred"}])
    );
    assert_eq!(
        pod["metadata"]["labels"]["topology.istio.io/network"],
        "net-a"
    );
    assert_eq!(pod["metadata"]["annotations"]["istio.io/rev"], "canary");
    assert!(
        pod["metadata"]["annotations"]
            .get("prometheus.io/port")
            .is_none(),
        "merging is off in the mesh"
    );
    let init = &pod["spec"]["initContainers"][0];
    let args: Vec<&str> = init["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(args.windows(2).any(|w| w == ["-o", "25"]), "{args:?}");
}

#[test]
fn the_injector_policy_and_selectors_decide_for_unmarked_pods() {
    let run = kube_inject(
        &[
            "-f",
            "testdata/inject/config/selected.yaml",
            "--injectConfigFile",
            "testdata/inject/config/inject-config.yaml",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let docs = documents(&run.stdout);
    assert!(
        docs[0]["metadata"]["annotations"]
            .get("sidecar.istio.io/status")
            .is_some(),
        "alwaysInjectSelector"
    );
    assert!(
        docs[1]["metadata"].get("annotations").is_none(),
        "policy disabled"
    );
    assert!(
        run.stderr
            .contains("Pod/left-alone has sidecar injection disabled"),
        "{}",
        run.stderr
    );
}

#[test]
fn version_names_the_injected_proxy() {
    let run = meshctl().arg("version").output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout
            .contains("kube-inject: Istio 1.32.0 injection, proxy docker.io/istio/proxyv2:1.32.0"),
        "{stdout}"
    );
}

#[test]
fn flags_not_built_say_so() {
    let linkerd = kube_inject(
        &["--mesh", "linkerd", "-f", "testdata/inject/pod.json"],
        None,
    );
    assert_eq!((linkerd.status, linkerd.stdout.as_str()), (2, ""));
}

/// A container of a generated Deployment: named ports, unnamed ports,
/// and probes on either.
fn container(index: u8) -> impl Strategy<Value = Value> {
    (any::<bool>(), 0..3usize, 0..4usize, any::<bool>()).prop_map(
        move |(named, probe, action, hook)| {
            let name = format!("c{index}");
            let port = 8080 + i64::from(index);
            let ports = if named {
                json!([{"name": format!("http-{index}"), "containerPort": port}])
            } else {
                json!([{"containerPort": port}])
            };
            let port_ref = if named {
                json!(format!("http-{index}"))
            } else {
                json!(port)
            };
            let probe_action = match action {
                0 => json!({"httpGet": {"path": "/ready", "port": port_ref, "scheme": "HTTPS"}}),
                1 => json!({"tcpSocket": {"port": port_ref}}),
                2 => json!({"grpc": {"port": port}}),
                _ => json!({"exec": {"command": ["true"]}}),
            };
            let mut c =
                json!({"name": name, "image": format!("example.com/{name}:1"), "ports": ports});
            let field = ["readinessProbe", "livenessProbe", "startupProbe"][probe];
            c[field] = probe_action;
            c[field]["timeoutSeconds"] = json!(1 + i64::from(index));
            if hook {
                c["lifecycle"] =
                    json!({"preStop": {"httpGet": {"path": "/stop", "port": port_ref}}});
            }
            c
        },
    )
}

fn deployment() -> impl Strategy<Value = Value> {
    let containers = (1..4u8).prop_flat_map(|n| (0..n).map(container).collect::<Vec<_>>());
    let annotations = proptest::collection::btree_map(
        prop_oneof![
            Just("prometheus.io/scrape".to_string()),
            Just("prometheus.io/port".to_string()),
            Just("sidecar.istio.io/nativeSidecar".to_string()),
            Just("sidecar.istio.io/proxyCPU".to_string()),
            Just("traffic.sidecar.istio.io/excludeOutboundPorts".to_string()),
            Just("sidecar.istio.io/rewriteAppHTTPProbers".to_string()),
        ],
        prop_oneof![Just("true"), Just("false"), Just("9090"), Just("100m")],
        0..4,
    )
    .prop_filter("values Istio accepts", |a| {
        a.iter().all(|(k, v)| match k.as_str() {
            "prometheus.io/port" | "traffic.sidecar.istio.io/excludeOutboundPorts" => *v == "9090",
            "sidecar.istio.io/proxyCPU" => *v == "100m" || *v == "9090",
            _ => *v == "true" || *v == "false",
        })
    });
    (containers, annotations, any::<bool>()).prop_map(|(containers, annotations, versioned)| {
        let mut labels = json!({"app": "gen"});
        if versioned {
            labels["version"] = json!("v1");
        }
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "gen", "namespace": "props"},
            "spec": {
                "selector": {"matchLabels": {"app": "gen"}},
                "template": {
                    "metadata": {"labels": labels, "annotations": annotations},
                    "spec": {"containers": containers}
                }
            }
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn generated_workloads_inject_once_remove_back_and_read_as_their_type(doc in deployment()) {
        let config = InjectConfig::default();
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let injected = rewrite(&text, Mode::Inject, &config).unwrap();
        prop_assert_eq!(&rewrite(&injected, Mode::Inject, &config).unwrap(), &injected);
        let removed = rewrite(&injected, Mode::Remove, &config).unwrap();
        prop_assert_eq!(comparable(&documents(&removed)[0]), comparable(&doc));
        assert_typed(&documents(&injected)[0], Path::new("generated"));
    }
}
