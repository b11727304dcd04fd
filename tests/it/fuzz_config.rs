//! A mutation fuzzer for the files the flags name: `--mesh-config`,
//! `--mesh-networks`, `--crd` and `.meshctl.yaml`. Each starts from real
//! examples of its kind and mutates their bytes (as `fuzz.rs` does) and
//! their structure (a value replaced by another type, a long or control
//! string, deep nesting, a repeated list, a key dropped or misspelt), then
//! runs the binary on them: it must exit 0, 1 or 2, never panic, print a
//! bounded amount, and on exit 2 say which file or flag is at fault.
//!
//! Deterministic (a fixed seed per kind). More inputs:
//! `MESHCTL_FUZZ_CONFIG_ITERATIONS=5000 cargo test --test it fuzz_config`.
//! A failing input is written to `target/fuzz-failures/`.

use std::path::Path;

use meshctl::loader::{Limits, SourceFile, parse_documents};
use meshctl::report::to_yaml;
use serde_json::{Value as Json, json};

use crate::common::meshctl;
use crate::fuzz::{Rng, mutate};

const DEFAULT_ITERATIONS: usize = 120;

/// Output a run may print on inputs this small (messages cut long values).
const MAX_OUTPUT: usize = 256 * 1024;

/// Longest line an exit-2 message may have.
const MAX_ERROR_LINE: usize = 2048;

const SHOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/lint/shop.yaml");
const WIDGETS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/testdata/crds/widgets-good.yaml"
);

const MESH_CONFIGS: &[&str] = &[
    "# The MeshConfig of an istiod install, as istioctl analyze reads it.
rootNamespace: istio-system
trustDomain: cluster.local
ingressControllerMode: STRICT
ingressService: istio-ingressgateway
ingressSelector: ingressgateway
enableAutoMtls: true
outboundTrafficPolicy:
  mode: REGISTRY_ONLY
pathNormalization:
  normalization: MERGE_SLASHES
defaultConfig:
  discoveryAddress: istiod.istio-system.svc:15012
  proxyMetadata:
    ISTIO_META_DNS_CAPTURE: \"true\"
  holdApplicationUntilProxyStarts: true
extensionProviders:
- name: otel
  opentelemetry:
    service: otel-collector.observability.svc.cluster.local
    port: 4317
defaultProviders:
  tracing: [otel]
",
    "{\"rootNamespace\": \"mesh-root\", \"ingressControllerMode\": \"OFF\", \
     \"outboundTrafficPolicy\": {\"mode\": \"ALLOW_ANY\"}, \
     \"pathNormalization\": {\"normalization\": \"DECODE_AND_MERGE_SLASHES\"}}\n",
    include_str!("../../testdata/inject/config/mesh.yaml"),
];

const MESH_NETWORKS: &[&str] = &[
    "networks:
  network1:
    endpoints:
    - fromRegistry: Kubernetes
    gateways:
    - address: 192.0.2.10
      port: 15443
  network2:
    endpoints:
    - fromCidr: 10.10.0.0/16
    gateways:
    - registryServiceName: istio-eastwestgateway.istio-system.svc.cluster.local
      port: 15443
      locality: us-east-1
",
    "networks: {}\n",
];

const CRDS: &[&str] = &[include_str!("../../testdata/crds/widget-crd.yaml")];

const PROJECT_CONFIGS: &[&str] = &[
    "rules:
  IST0118: off
  unknown-field: warning
  retry-non-idempotent: error
ignore:
  - vendor/
  - \"*.generated.yaml\"
suppress:
  - \"IST0102=Namespace default\"
  - \"IST0118=Service shop/*\"
",
    "rules: {MSH9001: info}\n",
];

/// One kind of file a flag names, and how a run reads it.
struct Kind {
    name: &'static str,
    /// The file's name in the run's folder.
    file: &'static str,
    seeds: &'static [&'static str],
    args: &'static [&'static str],
    /// What an exit-2 message must name.
    named: &'static str,
    seed: u64,
}

fn iterations() -> usize {
    std::env::var("MESHCTL_FUZZ_CONFIG_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_ITERATIONS)
}

/// The seed's tree, as JSON (every seed is one document).
fn tree_of(text: &str) -> Json {
    let source = SourceFile::new("seed.yaml", text.to_string());
    parse_documents(&source, &Limits::default())
        .into_iter()
        .find_map(|d| d.root)
        .map_or(Json::Null, |root| root.to_json())
}

/// Every JSON pointer into `value`, the root included.
fn pointers(value: &Json, at: String, out: &mut Vec<String>) {
    match value {
        Json::Object(map) => {
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{key}"), out);
            }
        }
        Json::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// One structural mutant of a seed, written as YAML or JSON.
fn mutate_structure(rng: &mut Rng, seeds: &[&str]) -> Vec<u8> {
    let mut tree = tree_of(seeds[rng.below(seeds.len())]);
    for _ in 0..1 + rng.below(3) {
        let mut all = Vec::new();
        pointers(&tree, String::new(), &mut all);
        let at = &all[rng.below(all.len())];
        let Some(node) = tree.pointer_mut(at) else {
            continue;
        };
        let old = node.take();
        *node = match rng.below(12) {
            0 => Json::Null,
            1 => json!(-1),
            2 => json!(1.0e300),
            3 => json!(true),
            4 => Json::String("x".repeat(100_000)),
            5 => json!({}),
            6 => json!([]),
            7 => (0..300).fold(old, |inner, _| json!([inner])),
            8 => Json::Array(vec![old; 1 + rng.below(200)]),
            9 => Json::String("\u{1b}]0;PWNED\u{7}\u{9b}".into()),
            10 => drop_or_misspell_a_key(rng, old),
            _ => json!({"": old, "<<": 5}),
        };
    }
    if rng.below(2) == 0 {
        to_yaml(&tree).into_bytes()
    } else {
        serde_json::to_vec_pretty(&tree).unwrap_or_default()
    }
}

fn drop_or_misspell_a_key(rng: &mut Rng, value: Json) -> Json {
    let Json::Object(mut map) = value else {
        return value;
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    if let Some(key) = keys.get(rng.below(keys.len())) {
        let child = map.remove(key).unwrap_or_default();
        if rng.below(2) == 0 {
            map.insert(format!("{key}x"), child);
        }
    }
    Json::Object(map)
}

fn fuzz(kind: &Kind) {
    let byte_seeds: Vec<Vec<u8>> = kind.seeds.iter().map(|s| s.as_bytes().to_vec()).collect();
    let mut rng = Rng(kind.seed);
    let dir = tempfile::tempdir().unwrap();
    for i in 0..iterations() {
        let input = if rng.below(2) == 0 {
            mutate(&mut rng, &byte_seeds)
        } else {
            mutate_structure(&mut rng, kind.seeds)
        };
        std::fs::write(dir.path().join(kind.file), &input).unwrap();
        if let Err(why) = run_once(kind, dir.path()) {
            let failures = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
            std::fs::create_dir_all(&failures).unwrap();
            let path = failures.join(format!("{}-{i}.yaml", kind.name));
            std::fs::write(&path, &input).unwrap();
            panic!("{} mutant {i} ({}): {why}", kind.name, path.display());
        }
    }
}

/// The start of a long output, for a failure message.
fn head(text: &str) -> String {
    text.chars().take(600).collect()
}

/// Runs the binary on the mutant in `dir`; `Err` says what went wrong.
fn run_once(kind: &Kind, dir: &Path) -> Result<(), String> {
    let output = meshctl()
        .current_dir(dir)
        .args(kind.args)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let status = output.status.code();
    if !matches!(status, Some(0..=2)) {
        return Err(format!("exit {status:?}: {}", head(&stderr)));
    }
    if stderr.contains("panicked") {
        return Err(format!("a panic: {}", head(&stderr)));
    }
    if stdout.len() + stderr.len() > MAX_OUTPUT {
        return Err(format!("{} bytes of output", stdout.len() + stderr.len()));
    }
    if status == Some(2) {
        let clear = stderr.contains(kind.named)
            && stderr.lines().all(|l| l.chars().count() <= MAX_ERROR_LINE);
        if !clear {
            return Err(format!("an unclear exit 2: {}", head(&stderr)));
        }
    }
    Ok(())
}

#[test]
fn mesh_config_mutants_end_cleanly() {
    fuzz(&Kind {
        name: "mesh-config",
        file: "mesh.yaml",
        seeds: MESH_CONFIGS,
        args: &["lint", "--mesh-config", "mesh.yaml", SHOP],
        named: "--mesh-config",
        seed: 0x6d65_7368_636f_6e66,
    });
}

#[test]
fn mesh_networks_mutants_end_cleanly() {
    fuzz(&Kind {
        name: "mesh-networks",
        file: "networks.yaml",
        seeds: MESH_NETWORKS,
        args: &["lint", "--mesh-networks", "networks.yaml", SHOP],
        named: "--mesh-networks",
        seed: 0x6e65_7477_6f72_6b73,
    });
}

#[test]
fn crd_mutants_end_cleanly() {
    fuzz(&Kind {
        name: "crd",
        file: "crd.yaml",
        seeds: CRDS,
        args: &["lint", "--crd", "crd.yaml", WIDGETS],
        named: "--crd",
        seed: 0x6372_6473_6372_6473,
    });
}

#[test]
fn project_config_mutants_end_cleanly() {
    fuzz(&Kind {
        name: "project-config",
        file: ".meshctl.yaml",
        seeds: PROJECT_CONFIGS,
        args: &["lint", SHOP],
        named: ".meshctl.yaml",
        seed: 0x7072_6f6a_6563_7421,
    });
}
