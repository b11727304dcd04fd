//! Speed of `meshctl analyze -A` against a simulated cluster of 50,000
//! objects (Namespaces, Services, Pods, Deployments, Secrets and mesh
//! resources, with the managed fields, status and last-applied copies a
//! real API server returns) served in 500-item pages by the tests' loopback
//! API server. Goal: under 5 s wall and 500 MB peak memory.
//!
//! `cargo build --release && cargo bench --bench cluster` runs the release
//! binary once under `/usr/bin/time -v` (when installed) and prints its wall
//! time, peak RSS, and the requests per resource, which show that only the
//! kinds the analyzers read were listed and none twice. `-- --serve` only
//! serves the cluster and prints the kubeconfig path, to time the command
//! with any other tool; `-- --objects N` changes the size.

#[path = "../tests/it/apiserver.rs"]
#[allow(dead_code)]
mod apiserver;

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use apiserver::{ApiServer, Auth, Fixture, TOKEN};
use serde_json::{Value, json};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let objects: usize = args
        .iter()
        .position(|a| a == "--objects")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(50_000);
    let server = ApiServer::start(Fixture {
        objects: cluster(objects),
        ..Fixture::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    std::fs::write(
        &kubeconfig,
        server.kubeconfig(Auth::Token(TOKEN), &server.ca_pem),
    )
    .unwrap();
    if args.iter().any(|a| a == "--serve") {
        println!(
            "{} objects served; kubeconfig: {}",
            objects,
            kubeconfig.display()
        );
        println!("press Enter (or close stdin) to stop");
        let _ = std::io::stdin().lock().lines().next();
        return;
    }
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/meshctl");
    assert!(binary.exists(), "build it first: cargo build --release");
    run(&binary, &kubeconfig, objects);
    println!("requests per resource:");
    let mut per_resource: BTreeMap<String, usize> = BTreeMap::new();
    for seen in server.seen() {
        *per_resource.entry(seen.path).or_default() += 1;
    }
    for (path, count) in per_resource {
        println!("  {count:>4}  {path}");
    }
}

/// Runs the analysis once: wall time, and peak RSS when GNU time is there.
fn run(binary: &Path, kubeconfig: &Path, objects: usize) {
    let gnu_time = Path::new("/usr/bin/time");
    let mut command = if gnu_time.exists() {
        let mut command = Command::new(gnu_time);
        command.arg("-v").arg(binary);
        command
    } else {
        Command::new(binary)
    };
    command
        .args([
            "analyze",
            "-A",
            "-o",
            "json",
            "--no-config",
            "--timeout",
            "60s",
            "--kubeconfig",
        ])
        .arg(kubeconfig);
    let start = Instant::now();
    let output = command.output().unwrap();
    let wall = start.elapsed();
    let findings: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|kb| kb.parse::<u64>().ok());
    println!(
        "analyze -A over {objects} objects: exit {:?}, {} findings, wall {:.2} s, peak RSS {}",
        output.status.code(),
        findings.len(),
        wall.as_secs_f64(),
        peak.map_or("unknown (no /usr/bin/time)".to_string(), |kb| format!(
            "{} MB",
            kb / 1024
        ))
    );
}

/// A deterministic cluster of about `total` objects in 50 namespaces:
/// per application a Deployment, two Pods, a Service, a VirtualService and
/// a DestinationRule (every tenth app also a Secret and a ServiceEntry).
fn cluster(total: usize) -> Vec<Value> {
    let mut objects = Vec::with_capacity(total);
    let namespaces = 50;
    for n in 0..namespaces {
        objects.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(&format!("ns-{n:02}"), None, json!({"istio-injection": "enabled"}))}));
    }
    let mut app = 0;
    while objects.len() < total {
        let ns = format!("ns-{:02}", app % namespaces);
        let name = format!("app-{app:05}");
        let labels = json!({"app": name, "version": "v1"});
        let template = json!({"metadata": {"labels": labels}, "spec": pod_spec(&name)});
        objects.push(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(&name, Some(&ns), labels.clone()),
            "spec": {"replicas": 2, "selector": {"matchLabels": labels}, "template": template},
            "status": {"replicas": 2, "readyReplicas": 2, "conditions": [{"type": "Available", "status": "True"}]}}));
        for replica in 0..2 {
            objects.push(json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta(&format!("{name}-{replica}"), Some(&ns), labels.clone()),
                "spec": pod_spec(&name), "status": {"phase": "Running", "podIP": "10.0.0.1", "conditions": [{"type": "Ready", "status": "True"}]}}));
        }
        objects.push(json!({"apiVersion": "v1", "kind": "Service", "metadata": meta(&name, Some(&ns), labels.clone()),
            "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": 8080, "targetPort": 8080}], "clusterIP": "10.96.0.1"}}));
        objects.push(json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": meta(&name, Some(&ns), json!({})),
            "spec": {"hosts": [name], "http": [{"route": [{"destination": {"host": name, "subset": "v1"}}], "timeout": "5s"}]}}));
        objects.push(json!({"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": meta(&name, Some(&ns), json!({})),
            "spec": {"host": name, "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}}));
        if app % 10 == 0 {
            objects.push(json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta(&format!("{name}-tls"), Some(&ns), json!({})),
                "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": "c2VjcmV0"}}));
            objects.push(json!({"apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry", "metadata": meta(&format!("{name}-ext"), Some(&ns), json!({})),
                "spec": {"hosts": [format!("{name}.example.com")], "ports": [{"number": 443, "name": "tls", "protocol": "TLS"}], "resolution": "DNS"}}));
        }
        app += 1;
    }
    objects.truncate(total);
    objects
}

/// Metadata as an API server returns it, managed fields and all.
fn meta(name: &str, namespace: Option<&str>, labels: Value) -> Value {
    let mut meta = json!({"name": name, "labels": labels, "uid": "6f1c1a2e-0000-4000-8000-000000000000", "resourceVersion": "123456",
        "creationTimestamp": "2026-01-01T00:00:00Z",
        "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"kind\":\"Object\",\"metadata\":{\"name\":\"x\"}}"},
        "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:spec": {"f:ports": {}}}}]});
    if let Some(ns) = namespace {
        meta["namespace"] = json!(ns);
    }
    meta
}

fn pod_spec(app: &str) -> Value {
    json!({"serviceAccountName": "default", "containers": [
        {"name": app, "image": format!("registry.example.com/{app}:1.0"), "ports": [{"containerPort": 8080, "name": "http"}],
         "env": [{"name": "LOG_LEVEL", "value": "info"}], "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}},
        {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.28.0", "args": ["proxy", "sidecar"]}]})
}
