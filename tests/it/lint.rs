//! `meshctl lint` end to end: the istioctl-compatible controls
//! (suppressions, thresholds, MeshConfig) and the project configuration.

use crate::common;

use std::fs;

use common::meshctl;
use serde_json::Value as Json;

const SHOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/lint/shop.yaml");

/// Exit status and `code origin` of each finding of `lint -o json`.
fn lint(args: &[&str], dir: Option<&std::path::Path>) -> (i32, Vec<String>) {
    let mut command = meshctl();
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command
        .arg("lint")
        .args(["-o", "json"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed: Json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let findings = parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["origin"].as_str().unwrap_or("-")
            )
        })
        .collect();
    (output.status.code().unwrap(), findings)
}

#[test]
fn reports_analyzer_findings_with_levels_and_exit_status() {
    let (status, found) = lint(&[SHOP], None);
    assert_eq!(
        found,
        [
            "IST0118 Service shop/cart",
            "MSH9001 Service shop/orders",
            "MSH3001 VirtualService shop/orders",
        ]
    );
    // Nothing at Error: exit 0, unless the failure threshold is lower.
    assert_eq!(status, 0);
    let (status, _) = lint(&[SHOP, "--failure-threshold", "Warning"], None);
    assert_eq!(status, 1);
}

#[test]
fn output_threshold_hides_lower_levels() {
    let (_, found) = lint(&[SHOP, "--output-threshold", "warning"], None);
    assert_eq!(
        found,
        [
            "MSH9001 Service shop/orders",
            "MSH3001 VirtualService shop/orders"
        ]
    );
}

#[test]
fn suppress_flag_in_both_forms_and_unused_ones_are_reported() {
    let (_, found) = lint(
        &[
            SHOP,
            "--suppress",
            "IST0118=Service shop/cart",
            "-S",
            "MSH3001=VirtualService orders.shop",
            "--suppress",
            "IST0101=Gateway *",
        ],
        None,
    );
    assert_eq!(
        found,
        [
            "MSH9001 Service shop/orders",
            "MSH9001 --suppress IST0101=Gateway *"
        ]
    );
}

#[test]
fn a_bad_suppression_or_mesh_config_cannot_run() {
    let output = meshctl()
        .args(["lint", SHOP, "--suppress", "IST0118"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("CODE=Kind"));
    for unknown in ["IST9999=Service shop/*", "=*"] {
        let output = meshctl()
            .args(["lint", SHOP, "--suppress", unknown])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{unknown}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("no rule has the code"),
            "{unknown}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let mesh = dir.path().join("mesh.yaml");
    fs::write(&mesh, "rootNamespace: [not, a, string]\n").unwrap();
    let output = meshctl()
        .args(["lint", SHOP, "--mesh-config", mesh.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("rootNamespace"));
}

#[test]
fn mesh_networks_are_read_within_bounds_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let networks = dir.path().join("networks.yaml");
    let path = networks.to_str().unwrap();
    let run = |extra: &[&str]| {
        let output = meshctl()
            .args(["lint", SHOP, "--mesh-networks", path])
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        (output.status.code(), stderr)
    };
    fs::write(
        &networks,
        "networks:\n  n:\n    gateways: [{address: 192.0.2.1, port: 15443}]\n",
    )
    .unwrap();
    assert_eq!(run(&[]).0, Some(0), "the networks file is fine");
    fs::write(
        &networks,
        "networks:\n  n:\n    gateways: [{address: 192.0.2.1, port: 0}]\n",
    )
    .unwrap();
    let (status, stderr) = run(&[]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("networks.n.gateways[0].port: port number 0"),
        "{stderr}"
    );
    fs::write(&networks, "networks: {}\n").unwrap();
    let (status, stderr) = run(&["--max-file-bytes", "4"]);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("--mesh-networks"), "{stderr}");
    fs::remove_file(&networks).unwrap();
    assert_eq!(run(&[]).0, Some(2));
}

#[test]
fn mesh_networks_registries_are_analyzed_where_the_file_says() {
    let dir = tempfile::tempdir().unwrap();
    let networks = dir.path().join("networks.yaml");
    fs::write(
        &networks,
        "networks:\n  local:\n    endpoints: [{fromRegistry: Kubernetes}]\n  west:\n    endpoints:\n    - from_registry: west\n",
    )
    .unwrap();
    let output = meshctl()
        .args(["lint", "-o", "json", SHOP, "--mesh-networks"])
        .arg(&networks)
        .output()
        .unwrap();
    let found: Json = serde_json::from_slice(&output.stdout).unwrap();
    let unknown: Vec<&Json> = found
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "IST0126")
        .collect();
    assert_eq!(unknown.len(), 1, "{found}");
    assert_eq!(
        unknown[0]["origin"],
        "MeshNetworks istio-system/meshnetworks"
    );
    assert_eq!(unknown[0]["file"], networks.to_str().unwrap());
    assert_eq!(unknown[0]["line"], 6);
}

#[test]
fn project_config_turns_rules_off_changes_levels_and_ignores_paths() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("vendor")).unwrap();
    fs::copy(SHOP, dir.path().join("shop.yaml")).unwrap();
    fs::copy(SHOP, dir.path().join("vendor/shop.yaml")).unwrap();
    fs::write(
        dir.path().join(".meshctl.yaml"),
        "rules:\n  IST0118: off\n  retry-non-idempotent: error\nignore: [vendor/]\n",
    )
    .unwrap();
    let sub = dir.path().join("vendor");
    // Found from a subfolder too; paths stay relative to the file.
    let (status, found) = lint(&[".."], Some(&sub));
    assert_eq!(
        found,
        [
            "MSH9001 Service shop/orders",
            "MSH3001 VirtualService shop/orders"
        ]
    );
    assert_eq!(status, 1, "the retry rule is an error now");
    fs::write(dir.path().join(".meshctl.yaml"), "rules:\n  IST0000: off\n").unwrap();
    let output = meshctl()
        .current_dir(dir.path())
        .args(["lint", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("IST0000"));
}

#[test]
fn analyzer_selects_by_istioctls_names() {
    let (_, found) = lint(&[SHOP, "--analyzer", "service.PortNameAnalyzer"], None);
    assert_eq!(
        found,
        ["IST0118 Service shop/cart", "MSH9001 Service shop/orders"]
    );
    let output = meshctl()
        .args(["lint", SHOP, "--analyzer", "service.PortNameAnalyser"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("service.PortNameAnalyzer"));
}

#[test]
fn the_alpha_annotation_analyzer_runs_only_when_named() {
    let dir = tempfile::tempdir().unwrap();
    let pod = dir.path().join("pod.yaml");
    fs::write(
        &pod,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    sidecar.istio.io/proxyCPU: 100m\nspec:\n  containers: [{name: web, image: nginx}]\n",
    )
    .unwrap();
    let path = pod.to_str().unwrap();
    let (_, found) = lint(&[path], None);
    assert!(!found.iter().any(|f| f.starts_with("IST0136")), "{found:?}");
    let (status, found) = lint(&[path, "--analyzer", "annotations.AlphaAnalyzer"], None);
    assert_eq!(found, ["IST0136 Pod shop/web"]);
    assert_eq!(status, 0, "an Info finding");
}

/// A Gateway extended by ListenerSets: the ListenerSets it does not admit
/// and the listeners that conflict, as Istio reports them in status.
#[test]
fn gateway_api_listener_sets_and_conflicts() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/simulate/gateway-api-listener-set.yaml"
    );
    let (status, found) = lint(&[file, "--output-threshold", "Warning"], None);
    assert_eq!(
        found,
        [
            "MSH3011 ListenerSet shop/shop",
            "MSH3015 ListenerSet blog/blog",
            "MSH3011 Gateway infra/internal",
            "MSH3015 ListenerSet infra/extra",
        ]
    );
    assert_eq!(status, 1);
}

/// Istio's listener rules judge only Istio's Gateways: one of a class
/// another controller owns, or of a class neither in the input nor built
/// into Istio, is named by MSH3016 (Info) instead; a waypoint's listeners
/// are judged, but it refuses ListenerSets and Istio reports no conflicts
/// for it.
#[test]
fn gateway_api_rules_follow_the_gateway_class() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/lint/gateway-classes.yaml"
    );
    let output = meshctl()
        .args(["lint", "-o", "json", file])
        .output()
        .unwrap();
    let parsed: Json = serde_json::from_slice(&output.stdout).unwrap();
    let lines: Vec<String> = parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {}: {}",
                d["code"].as_str().unwrap(),
                d["origin"].as_str().unwrap_or("-"),
                d["line"],
                d["path"].as_str().unwrap_or("-"),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
    assert_eq!(output.status.code(), Some(1));
}
