//! istioctl analyze compatibility: Istio's own analyzer test inputs and
//! expectations (`../shared/conformance/istio-analyze`, beside the checkout;
//! skipped without it, see [`shared`]) run against the built binary with
//! their runner. Every core case passes today; a regression fails this test with
//! the runner's report of what is missing or extra.

use std::path::PathBuf;
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

use crate::common::shared;

#[test]
fn every_core_istio_analyze_case_passes() {
    let Some(runner) = shared("conformance/istio-analyze/run.py") else {
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new("python3")
        .arg(&runner)
        .arg("--meshctl")
        .arg(cargo_bin("meshctl"))
        .args(["--scope", "core", "-v", "-j", "2"])
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
    assert!(passed >= 78, "{summary}");
}
