//! Compatibility with Istio's own test data, run against the built binary
//! with each corpus's runner (`../shared/conformance/`, beside the checkout): istioctl analyze's analyzer inputs and
//! expectations, and the calls of Istio's traffic-simulation tests. Every
//! core case passes today; a regression fails the test with the runner's
//! report of what is missing or extra. Without `../shared` (a clone on its
//! own) the tests say so and pass, except in CI (`CI=true`), which has it
//! (see [`shared`]).

use std::path::PathBuf;
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

use crate::common::shared;

/// Runs `corpus`'s runner on its core scope and checks that every case,
/// and at least `at_least` of them, passed.
fn every_core_case_passes(corpus: &str, at_least: usize) {
    every_case_of_scope_passes(corpus, "core", at_least);
}

/// Runs `corpus`'s runner on one scope and checks that every case, and at
/// least `at_least` of them, passed.
fn every_case_of_scope_passes(corpus: &str, scope: &str, at_least: usize) {
    let Some(runner) = shared(&format!("conformance/{corpus}/run.py")) else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new("python3")
        .arg(&runner)
        .arg("--meshctl")
        .arg(cargo_bin("meshctl"))
        .args(["--scope", scope, "-v", "-j", "2"])
        .current_dir(&root)
        .output()
        .expect("python3 runs the conformance runner");
    let report = String::from_utf8_lossy(&output.stdout);
    let summary = report.lines().last().unwrap_or_default();
    assert!(
        output.status.success() && summary.ends_with(" 0 failed"),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let passed: usize = summary
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(passed >= at_least, "{summary}");
}

#[test]
fn every_core_istio_analyze_case_passes() {
    every_core_case_passes("istio-analyze", 78);
}

#[test]
fn every_core_istio_simulate_case_passes() {
    every_core_case_passes("istio-simulate", 76);
}

/// The Gateway API variant of Istio's sidecar routing tests: mesh (GAMMA)
/// HTTPRoutes with a Service parent.
#[test]
fn every_gateway_api_istio_simulate_case_passes() {
    every_case_of_scope_passes("istio-simulate", "gateway-api", 13);
}
