//! `meshctl validate --crd`: custom resources checked against their CRDs,
//! end to end through the binary.

use crate::common;

use common::{meshctl, shared};
use meshctl::loader::Limits;
use meshctl::validate::crd::load_crds;
use serde_json::Value as Json;

/// Istio's CRDs in ../shared/reference (None: skip the test).
fn istio_crds() -> Option<String> {
    shared("reference/istio-crds.gen.yaml").map(|path| path.display().to_string())
}

/// Exit status, findings (from `-o json`) and stderr.
fn run(args: &[&str]) -> (i32, Vec<Json>, String) {
    let output = meshctl().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let findings = if stdout.trim().is_empty() {
        Vec::new()
    } else {
        let parsed: Json = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}\nstderr: {stderr}"));
        parsed.as_array().expect("an array").clone()
    };
    (output.status.code().unwrap_or(-1), findings, stderr)
}

/// `CODE line:column path` per finding.
fn located(findings: &[Json]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["code"].as_str().unwrap_or(""),
                f["line"],
                f["column"],
                f["path"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn bad_widgets_are_reported_with_exact_paths() {
    let (status, findings, stderr) = run(&[
        "validate",
        "--crd",
        "testdata/crds/widget-crd.yaml",
        "testdata/crds/widgets-bad.yaml",
        "-o",
        "json",
    ]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(
        located(&findings),
        [
            "MSH2001 6:9 spec.size",
            "MSH2001 7:3 spec.colour",
            "MSH2001 8:16 spec.minReplicas",
            "MSH2001 9:16 spec.maxReplicas",
            "MSH2001 10:9 spec.port",
            "MSH2001 12:11 spec.parts[0].name",
            "MSH2001 13:5 spec.parts[1].name",
            "MSH2002 19:1 spec",
            "MSH2002 21:10 spec.color",
            "MSH2002 24:3 spec.labels",
            "MSH2001 31:1 spec.size",
            "MSH2001 32:10 spec.color",
        ]
    );
    let messages: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"minReplicas must not exceed maxReplicas (CRD widgets.example.com)")
    );
    assert!(messages.contains(&"a large widget cannot be red (CRD widgets.example.com)"));
    assert_eq!(findings[1]["help"], "did you mean \"color\"?");
    assert_eq!(findings[0]["origin"], "Widget default/broken");
}

#[test]
fn good_widgets_are_clean() {
    let (status, findings, stderr) = run(&[
        "validate",
        "--crd",
        "testdata/crds",
        "testdata/crds/widgets-good.yaml",
        "-o",
        "json",
    ]);
    assert_eq!((status, findings), (0, vec![]), "{stderr}");
}

#[test]
fn without_crd_custom_resources_are_left_alone() {
    let (status, findings, _) = run(&["validate", "testdata/crds/widgets-bad.yaml", "-o", "json"]);
    assert_eq!((status, findings), (0, vec![]));
}

#[test]
fn an_unreadable_crd_exits_2_naming_it() {
    let (status, _, stderr) = run(&[
        "validate",
        "--crd",
        "testdata/crds/missing-crd.yaml",
        "testdata/crds/widgets-good.yaml",
    ]);
    assert_eq!(status, 2);
    assert!(stderr.contains("missing-crd.yaml"), "{stderr}");
}

#[test]
fn istio_crds_load() {
    let Some(istio_crds) = istio_crds() else {
        return;
    };
    let set = load_crds(&[istio_crds], false, &Limits::default()).unwrap();
    assert!(set.len() > 10, "{}", set.len());
}

/// `validate --crd ISTIO_CRDS FILE -o json` (None: skip the test).
fn validate_with_istio_crds(file: &str) -> Option<(i32, Vec<Json>, String)> {
    let crds = istio_crds()?;
    Some(run(&["validate", "--crd", &crds, file, "-o", "json"]))
}

#[test]
fn istio_crds_accept_the_good_fixtures() {
    let Some((status, findings, stderr)) =
        validate_with_istio_crds("testdata/scenarios/canary-90-10/good.yaml")
    else {
        return;
    };
    assert_eq!((status, findings), (0, vec![]), "{stderr}");
}

#[test]
fn istio_crds_report_the_unknown_field_too() {
    let Some((status, findings, stderr)) =
        validate_with_istio_crds("testdata/scenarios/canary-90-10/broken-weigth-typo.yaml")
    else {
        return;
    };
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(
        located(&findings),
        [
            "MSH1001 21:7 spec.http[0].route[1].weigth",
            "MSH2001 21:7 spec.http[0].route[1].weigth",
        ]
    );
    assert_eq!(findings[1]["help"], "did you mean \"weight\"?");
}

#[test]
fn lint_and_analyze_take_crds_and_strict_kinds_too() {
    let bad = "testdata/crds/widgets-bad.yaml";
    let crd = "testdata/crds/widget-crd.yaml";
    let codes = |findings: &[Json]| -> Vec<String> {
        findings
            .iter()
            .map(|f| f["code"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // Without its CRD the Widget is only parsed; lint counts it as such.
    let (status, findings, stderr) = run(&["lint", bad, "-o", "json"]);
    assert_eq!((status, findings.len()), (0, 0), "{stderr}");
    assert!(
        stderr.contains("not checked: Widget (example.com/v1)"),
        "{stderr}"
    );
    // With it, lint (and analyze --use-kube=false, lint's twin) report
    // what validate does.
    for command in [&["lint"][..], &["analyze", "--use-kube=false"]] {
        let args = [command, &["--crd", crd, bad, "-o", "json"]].concat();
        let (status, findings, stderr) = run(&args);
        assert_eq!(status, 1, "{args:?}: {stderr}");
        assert!(
            codes(&findings).iter().all(|c| c.starts_with("MSH200")),
            "{findings:?}"
        );
        assert_eq!(findings.len(), 12, "{args:?}");
    }
    // --strict-kinds: each resource nothing checks is an error at its kind.
    let (status, findings, _) = run(&["validate", "--strict-kinds", bad, "-o", "json"]);
    assert_eq!(status, 1);
    assert!(
        codes(&findings).iter().all(|c| c == "MSH1009"),
        "{findings:?}"
    );
    assert_eq!(located(&findings)[0], "MSH1009 2:7 kind");
    // ... and none once its CRD checks it.
    let args = ["lint", "--strict-kinds", "--crd", crd, bad, "-o", "json"];
    let (_, findings, _) = run(&args);
    assert!(!codes(&findings).contains(&"MSH1009".to_string()));
}
