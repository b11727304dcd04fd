//! The binary end to end: exit codes, output formats, inputs, and the
//! contract of ../shared/design/CLI.md.

use std::io::Write;
use std::process::Stdio;

use crate::common;

use common::meshctl;
use serde_json::Value as Json;

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/scenarios");
const INPUTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/inputs");

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    finished(meshctl().args(args).output().unwrap())
}

fn finished(output: std::process::Output) -> Run {
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn json(args: &[&str]) -> (i32, Vec<Json>) {
    let run = run(args);
    let parsed: Json = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            run.stdout, run.stderr
        )
    });
    (run.status, parsed.as_array().unwrap().clone())
}

fn codes(findings: &[Json]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn good_scenarios_validate_clean() {
    let (status, findings) = json(&[
        "validate",
        "-o",
        "json",
        "testdata/scenarios/canary-90-10/good.yaml",
        "-f",
        "testdata/scenarios/reviews-header-routing/good.yaml",
    ]);
    assert_eq!(findings, Vec::<Json>::new());
    assert_eq!(status, 0);
    for scenario in std::fs::read_dir(SCENARIOS).unwrap().filter_map(Result::ok) {
        let good = scenario.path().join("good.yaml");
        if good.exists() {
            let (status, findings) = json(&["validate", "-o", "json", good.to_str().unwrap()]);
            assert_eq!(
                (status, findings.len()),
                (0, 0),
                "{}: {findings:?}",
                good.display()
            );
        }
    }
}

#[test]
fn json_findings_carry_the_contract_fields() {
    let (status, findings) = json(&[
        "validate",
        "-o",
        "json",
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml",
    ]);
    assert_eq!(status, 1);
    let finding = &findings[0];
    assert_eq!(finding["code"], "MSH1001");
    assert_eq!(finding["level"], "Error");
    assert_eq!(finding["origin"], "VirtualService default/details");
    assert_eq!(
        finding["file"],
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml"
    );
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(21), Some(7))
    );
    assert_eq!(finding["path"], "spec.http[0].route[1].weigth");
    assert_eq!(finding["help"], "did you mean \"weight\"?");
    assert!(
        finding["documentationUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    assert_eq!(
        finding["reference"],
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml:21"
    );
}

#[test]
fn broken_yaml_is_a_finding_and_the_other_documents_are_still_checked() {
    // The third of four documents is broken; the fourth has a typo of its own.
    let mut file = tempfile::NamedTempFile::with_suffix(".yaml").unwrap();
    let text =
        std::fs::read_to_string("testdata/scenarios/fault-injection/broken-multidoc-one-bad.yaml")
            .unwrap();
    write!(file, "{text}---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: x}}\nspec: {{host: x, subsetz: []}}\n").unwrap();
    let (status, findings) = json(&["validate", "-o", "json", file.path().to_str().unwrap()]);
    assert_eq!(status, 1);
    assert_eq!(codes(&findings), ["MSH0001", "MSH1001"]);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = meshctl()
        .args(["validate", "-o", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let yaml = std::fs::read("testdata/scenarios/strict-mtls/broken-mode-enum.yaml").unwrap();
    child.stdin.take().unwrap().write_all(&yaml).unwrap();
    let output = child.wait_with_output().unwrap();
    let findings: Vec<Json> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(codes(&findings), ["MSH1003"]);
    assert_eq!(findings[0]["file"], "-");
}

#[test]
fn directories_are_walked_for_manifests_only() {
    // The alias bomb, the deep nesting and the two non-mappings name no
    // kind: a walk passes over them (and over README.md) and says so.
    let walked = run(&["validate", "-o", "json", INPUTS]);
    assert_eq!(walked.status, 0, "{}", walked.stderr);
    assert_eq!(walked.stdout.trim(), "[]");
    assert!(
        walked
            .stderr
            .contains("3 file(s) skipped: not Kubernetes manifests"),
        "{}",
        walked.stderr
    );
    // Named on the command line, they are read and reported as before.
    let named: Vec<String> = [
        "billion-laughs.yaml",
        "deep-nesting.yaml",
        "not-a-mapping.yaml",
    ]
    .iter()
    .map(|f| format!("{INPUTS}/{f}"))
    .collect();
    let mut args = vec!["validate", "-o", "json"];
    args.extend(named.iter().map(String::as_str));
    let (status, findings) = json(&args);
    assert_eq!(status, 1);
    assert_eq!(
        codes(&findings),
        ["MSH0003", "MSH0003", "MSH0004", "MSH0004"]
    );
}

#[test]
fn an_unreadable_path_exits_2_naming_it() {
    let run = run(&["validate", "no/such/file.yaml"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("no/such/file.yaml"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn exit_codes_follow_the_threshold_in_every_format() {
    let broken = "testdata/scenarios/canary-90-10/broken-weight-string.yaml";
    for format in ["text", "json", "yaml", "sarif"] {
        assert_eq!(
            run(&["validate", "-o", format, broken]).status,
            1,
            "{format}"
        );
        assert_eq!(
            run(&[
                "validate",
                "-o",
                format,
                "testdata/scenarios/canary-90-10/good.yaml"
            ])
            .status,
            0,
            "{format}"
        );
    }
    assert_eq!(run(&["validate", "--fail-on", "warning", broken]).status, 1);
    assert_eq!(run(&["validate", "--output", "bogus", broken]).status, 2);
}

#[test]
fn sarif_has_an_empty_results_array_on_a_clean_run() {
    let run = run(&[
        "validate",
        "-o",
        "sarif",
        "testdata/scenarios/canary-90-10/good.yaml",
    ]);
    let log: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"], Json::Array(vec![]));
    assert!(
        !log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn sarif_results_point_at_the_field() {
    let run = run(&[
        "validate",
        "-o",
        "sarif",
        "testdata/scenarios/circuit-breaker/broken-lb-enum.yaml",
    ]);
    let log: Json = serde_json::from_str(&run.stdout).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "MSH1003/invalid-enum-value");
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(12), Some(15))
    );
}

#[test]
fn text_report_shows_the_snippet_and_summary() {
    let run = run(&[
        "validate",
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml",
    ]);
    insta::assert_snapshot!(run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn json_report_snapshot() {
    let run = run(&[
        "validate",
        "-o",
        "json",
        "testdata/scenarios/reviews-header-routing/broken-duplicate-key.yaml",
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml",
    ]);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn yaml_report_matches_json() {
    let files = [
        "testdata/scenarios/strict-mtls/broken-mode-enum.yaml",
        "testdata/scenarios/reviews-header-routing/broken-duplicate-key.yaml",
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml",
    ];
    let report = |format: &str| run(&[&["validate", "-o", format][..], &files[..]].concat());
    let yaml = report("yaml");
    let from_yaml: Json = yaml_serde::from_str(&yaml.stdout).unwrap();
    let from_json: Json = serde_json::from_str(&report("json").stdout).unwrap();
    assert!(from_json.as_array().is_some_and(|a| a.len() >= 3));
    // The same findings, fields and values, in the same order.
    assert_eq!(from_yaml.to_string(), from_json.to_string());
    let run = run(&["validate", "-o", "yaml", files[0]]);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_status_of_the_findings() {
    // Many findings, and a reader that goes away at once: no message, and
    // the exit status of the errors found, however much was written.
    let mut yaml = String::new();
    for i in 0..2000 {
        yaml.push_str(&format!("---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: vs{i}}}\nspec: {{hostz: [a]}}\n"));
    }
    let mut file = tempfile::NamedTempFile::with_suffix(".yaml").unwrap();
    file.write_all(yaml.as_bytes()).unwrap();
    let mut child = meshctl()
        .args(["validate", file.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn explain_prints_the_rule_documentation() {
    let run = run(&["explain", "MSH1001"]);
    assert_eq!(run.status, 0);
    insta::assert_snapshot!(run.stdout);
    assert_eq!(self::run(&["explain", "unknown-field"]).stdout, run.stdout);
    assert_eq!(self::run(&["explain", "NOPE999"]).status, 2);
    assert!(self::run(&["explain", "--list"]).stdout.contains("MSH1007"));
}

#[test]
fn schema_prints_one_kind_and_writes_all() {
    let run = run(&["schema", "virtualservice"]);
    assert_eq!(run.status, 0);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["title"], "VirtualService networking.istio.io/v1");
    let older = self::run(&[
        "schema",
        "VirtualService",
        "--api-version",
        "networking.istio.io/v1alpha3",
    ]);
    assert!(older.stdout.contains("networking.istio.io/v1alpha3"));
    assert_eq!(self::run(&["schema", "Frobnicator"]).status, 2);
    // Two groups serve a Gateway: the group picks one, Istio's by default.
    let gateway_api = self::run(&[
        "schema",
        "gateway",
        "--api-version",
        "gateway.networking.k8s.io/v1",
    ]);
    let gateway_api: Json = serde_json::from_str(&gateway_api.stdout).unwrap();
    assert_eq!(gateway_api["title"], "Gateway gateway.networking.k8s.io/v1");
    let istio: Json = serde_json::from_str(&self::run(&["schema", "gateway"]).stdout).unwrap();
    assert_eq!(istio["title"], "Gateway networking.istio.io/v1");
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        self::run(&["schema", "--out-dir", dir.path().to_str().unwrap()]).status,
        0
    );
    // 32 Istio and 14 Gateway API kinds at their versions, and the combined
    // meshctl-all.json.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 47);
    assert!(dir.path().join("meshctl-all.json").is_file());
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = run(&["completions", shell]);
        assert_eq!(run.status, 0);
        assert!(run.stdout.contains("meshctl"), "{shell}");
    }
}

#[test]
fn version_and_help_exit_0() {
    assert!(run(&["--version"]).stdout.starts_with("meshctl "));
    let help = run(&["validate", "--help"]);
    assert_eq!(help.status, 0);
    assert!(help.stdout.contains("--fail-on"));
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_unless_asked_and_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::copy(
        "testdata/scenarios/strict-mtls/broken-mode-enum.yaml",
        real.join("pa.yaml"),
    )
    .unwrap();
    let walked = dir.path().join("walked");
    std::fs::create_dir(&walked).unwrap();
    std::os::unix::fs::symlink(&real, walked.join("link")).unwrap();
    std::os::unix::fs::symlink(&walked, walked.join("loop")).unwrap();
    let path = walked.to_str().unwrap();
    assert_eq!(json(&["validate", "-o", "json", path]).1.len(), 0);
    let (_, followed) = json(&["validate", "-o", "json", "--follow-symlinks", path]);
    assert_eq!(codes(&followed), ["MSH1003"]);
}

/// `.meshctl.yaml` is read the same way by every command that reads
/// configuration: its ignores drop files, its rule settings apply, and the
/// file itself is never taken for a resource.
#[test]
fn every_command_reads_the_project_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/broken.yaml"), "kind: [\n").unwrap();
    // Istio refuses JWT claim routing on sidecars (IST0106, an error),
    // which this project settles as a warning.
    std::fs::write(
        dir.path().join("app.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: app, namespace: default}\nspec:\n  selector: {app: app}\n  ports: [{name: http, port: 80}]\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: claims, namespace: default}\nspec:\n  hosts: [app]\n  http:\n  - match:\n    - headers:\n        \"@request.auth.claims[group]\": {exact: admins}\n    route:\n    - destination: {host: app}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".meshctl.yaml"),
        "rules:\n  IST0106: warning\nignore: [vendor/]\n",
    )
    .unwrap();
    let in_dir = |args: &[&str]| {
        let output = meshctl()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr,
        )
    };
    for command in [["lint", "."], ["validate", "."]] {
        let (status, stdout, stderr) = in_dir(&command);
        assert_eq!(status, Some(0), "{command:?}: {stdout}{stderr}");
        assert!(
            stdout.contains("0 errors, 1 warning"),
            "{command:?}: {stdout}"
        );
    }
    let (status, stdout, stderr) = in_dir(&[
        "simulate",
        "-f",
        ".",
        "--request",
        "GET http://app/",
        "-o",
        "json",
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let result: Json = serde_json::from_str(&stdout).unwrap();
    assert_eq!(result["host"], "app.default.svc.cluster.local");
    std::fs::remove_file(dir.path().join(".meshctl.yaml")).unwrap();
    let (status, _, stderr) = in_dir(&["simulate", "-f", ".", "--request", "GET http://app/"]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("IST0106") && stderr.contains("vendor/broken.yaml"),
        "{stderr}"
    );
}

const BROKEN_PAIR: [&str; 2] = [
    "testdata/scenarios/reviews-header-routing/broken-duplicate-key.yaml",
    "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml",
];

fn report_of(format: &str, paths: &[&str]) -> Run {
    let mut args = vec!["validate", "-o", format, "--sarif-root", "."];
    args.extend(paths);
    run(&args)
}

#[test]
fn github_workflow_commands_snapshot() {
    let run = report_of("github", &BROKEN_PAIR);
    assert_eq!(run.status, 1);
    // The runner's grammar: ::level key=value,...::message, one per line.
    for line in run.stdout.lines() {
        assert!(line.starts_with("::error file=testdata/"), "{line}");
        assert!(!line.contains('\n') && line.contains(",title="), "{line}");
    }
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn gitlab_code_quality_snapshot() {
    let run = report_of("gitlab", &BROKEN_PAIR);
    let issues: Json = serde_json::from_str(&run.stdout).unwrap();
    // What GitLab requires of every issue.
    for issue in issues.as_array().unwrap() {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key}: {issue}");
        }
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].is_u64());
        let severities = ["info", "minor", "major", "critical", "blocker"];
        assert!(severities.contains(&issue["severity"].as_str().unwrap()));
    }
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn junit_snapshot() {
    let run = report_of("junit", &BROKEN_PAIR);
    assert!(run.stdout.starts_with("<?xml version=\"1.0\""));
    let opened = run.stdout.matches("<testsuite ").count();
    assert_eq!(opened, run.stdout.matches("</testsuite>").count());
    assert_eq!(opened, 2, "a suite per file");
    insta::assert_snapshot!(run.stdout);
    let clean = report_of("junit", &["testdata/scenarios/canary-90-10/good.yaml"]);
    assert!(
        clean.stdout.contains("tests=\"1\" failures=\"0\""),
        "{}",
        clean.stdout
    );
}

/// The SARIF 2.1.0 schema, when it has been fetched (see `common::fetched`).
fn sarif_schema() -> Option<jsonschema::Validator> {
    let text = std::fs::read_to_string(common::fetched("sarif-2.1.0.json")?).unwrap();
    Some(jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap())
}

/// Parses a SARIF log and checks it against the schema (when fetched).
fn assert_valid_sarif(stdout: &str) -> Json {
    let log: Json = serde_json::from_str(stdout).unwrap();
    let Some(schema) = sarif_schema() else {
        return log;
    };
    let errors: Vec<String> = schema
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    log
}

#[test]
fn sarif_is_valid_for_clean_dirty_and_failed_runs() {
    let clean = report_of("sarif", &["testdata/scenarios/canary-90-10/good.yaml"]);
    assert_eq!(clean.status, 0);
    assert_valid_sarif(&clean.stdout);

    let dirty = report_of("sarif", &BROKEN_PAIR);
    let log = assert_valid_sarif(&dirty.stdout);
    let result = &log["runs"][0]["results"][1];
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(
        artifact["uri"],
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml"
    );
    assert_eq!(artifact["uriBaseId"], "SRCROOT");
    let text = result["message"]["text"].as_str().unwrap();
    assert!(text.contains("did you mean \"weight\"?"), "{text}");
    assert!(text.contains("spec.http[0].route[1].weigth"), "{text}");
    assert!(result["partialFingerprints"]["meshctl/v1"].is_string());

    let failed = report_of(
        "sarif",
        &["testdata/scenarios/canary-90-10/good.yaml", "missing.yaml"],
    );
    assert_eq!(failed.status, 2);
    let log = assert_valid_sarif(&failed.stdout);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let reason = invocation["toolExecutionNotifications"][0]["message"]["text"].as_str();
    assert!(reason.unwrap().contains("missing.yaml"));
}

#[test]
fn sarif_uris_are_normalised_and_fingerprints_ignore_lines() {
    let typed = "./testdata//scenarios/../scenarios/canary-90-10/broken-weigth-typo.yaml";
    let log: Json = serde_json::from_str(&report_of("sarif", &[typed]).stdout).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml"
    );
    // The same finding two lines lower keeps its fingerprint.
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(BROKEN_PAIR[1]).unwrap();
    let fingerprint_of = |text: &str| {
        let path = dir.path().join("vs.yaml");
        std::fs::write(&path, text).unwrap();
        let root = dir.path().to_str().unwrap();
        let run = run(&[
            "validate",
            "-o",
            "sarif",
            "--sarif-root",
            root,
            path.to_str().unwrap(),
        ]);
        let log: Json = serde_json::from_str(&run.stdout).unwrap();
        log["runs"][0]["results"][0]["partialFingerprints"].clone()
    };
    assert_eq!(
        fingerprint_of(&original),
        fingerprint_of(&format!("# moved\n# down\n{original}"))
    );
}

#[test]
fn fail_on_none_reports_without_failing_and_still_fails_a_broken_run() {
    let mut args = vec!["validate", "--fail-on", "none"];
    args.extend(BROKEN_PAIR);
    let reported = run(&args);
    assert_eq!(reported.status, 0);
    assert!(reported.stdout.contains("MSH1001"), "{}", reported.stdout);
    assert_eq!(
        run(&["validate", "--fail-on", "none", "missing.yaml"]).status,
        2
    );
}

#[test]
fn reports_are_written_to_files_beside_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    let sarif_arg = format!("sarif={}", sarif.display());
    let junit_arg = format!("junit={}", junit.display());
    let mut args = vec!["validate", "--report", &sarif_arg, "--report", &junit_arg];
    args.extend(BROKEN_PAIR);
    let both = run(&args);
    assert_eq!(both.status, 1);
    assert!(
        both.stdout.contains("MSH1001 unknown-field"),
        "text on stdout"
    );
    assert_valid_sarif(&std::fs::read_to_string(&sarif).unwrap());
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .contains("<testsuites")
    );
    // A failed run still leaves a SARIF file for the upload step.
    std::fs::remove_file(&sarif).unwrap();
    let failed = run(&["validate", "--report", &sarif_arg, "missing.yaml"]);
    assert_eq!(failed.status, 2);
    assert_valid_sarif(&std::fs::read_to_string(&sarif).unwrap());
}

#[test]
fn output_threshold_says_what_it_hid() {
    // One warning (MSH3006), and nothing at error level.
    let file = "testdata/scenarios/payments-authz/broken-wildcard-in-middle.yaml";
    let text = run(&["lint", "--output-threshold", "error", file]);
    assert!(
        !text.stdout.contains("No problems found"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("below --output-threshold not shown"),
        "{}",
        text.stdout
    );
    let json = run(&["lint", "-o", "json", "--output-threshold", "error", file]);
    assert_eq!(json.stdout.trim(), "[]");
    assert!(
        json.stderr.contains("below --output-threshold not shown"),
        "{}",
        json.stderr
    );
}

#[test]
fn simulate_offers_only_text_and_json() {
    let run = run(&["simulate", "--help"]);
    assert!(
        run.stdout.contains("[possible values: text, json]"),
        "{}",
        run.stdout
    );
}

/// A repository root as CI checks it out: workflows, a Helm chart, hidden
/// folders, .gitignore, and a .meshctl.yaml in a parent folder.
fn fake_repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = repo.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let broken = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/scenarios/canary-90-10/broken-weigth-typo.yaml"
    ))
    .unwrap();
    write(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    );
    write(
        "chart/Chart.yaml",
        "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
    );
    write("chart/values.yaml", "replicas: 2\nimage:\n  tag: latest\n");
    write(
        "chart/templates/vs.yaml",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    write(".hidden/vs.yaml", &broken);
    write("generated/vs.yaml", &broken);
    write(".gitignore", "generated/\n");
    write("mesh/routes.yaml", &broken);
    write("mesh/skip/routes.yaml", &broken);
    write(".meshctl.yaml", "rules:\n  IST0133: off\n");
    repo
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    finished(meshctl().current_dir(dir).args(args).output().unwrap())
}

#[test]
fn a_repository_root_is_walked_as_ripgrep_does() {
    let repo = fake_repository();
    let mesh = repo.path().join("mesh");
    let walked = run_in(
        &mesh,
        &["validate", "-o", "json", "--exclude", "skip/", ".."],
    );
    assert_eq!(walked.status, 1, "{}", walked.stderr);
    let findings: Vec<Json> = serde_json::from_str(&walked.stdout).unwrap();
    let files: Vec<&str> = findings
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["../mesh/routes.yaml"], "only the manifest in view");
    assert!(
        walked
            .stderr
            .contains("using .meshctl.yaml at ../.meshctl.yaml"),
        "{}",
        walked.stderr
    );
    assert!(
        walked
            .stderr
            .contains("2 file(s) skipped: not Kubernetes manifests"),
        "{}",
        walked.stderr
    );
    assert!(
        walked.stderr.contains("skipped 1 template file"),
        "{}",
        walked.stderr
    );
    assert!(walked.stderr.contains("helm template"), "{}", walked.stderr);

    let text = run_in(repo.path(), &["validate", "--include-hidden", "."]);
    assert!(text.stdout.contains(".hidden/vs.yaml"), "{}", text.stdout);
    assert!(
        !text.stdout.contains("generated/"),
        ".gitignore still applies"
    );
    assert!(
        text.stdout
            .contains("3 files skipped: not Kubernetes manifests."),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("1 file skipped: templates"),
        "{}",
        text.stdout
    );

    // Named explicitly, a file is read whatever it is.
    let named = run_in(
        repo.path(),
        &["validate", "-o", "json", "chart/values.yaml"],
    );
    assert_eq!(named.status, 1, "{}", named.stdout);

    let unconfigured = run_in(&mesh, &["validate", "--no-config", "routes.yaml"]);
    assert!(!unconfigured.stderr.contains("using .meshctl.yaml"));
    let configured = run_in(
        repo.path(),
        &["validate", "--config", "missing.yaml", "mesh"],
    );
    assert_eq!(configured.status, 2);
    assert!(
        configured.stderr.contains("--config missing.yaml"),
        "{}",
        configured.stderr
    );
}

/// Runs a shell command line as CI does, with meshctl on the PATH.
fn shell_in(dir: &std::path::Path, line: &str) -> Run {
    let binary = assert_cmd::cargo::cargo_bin("meshctl");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = std::process::Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    finished(output)
}

#[test]
fn readme_ci_snippets_run() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = readme
        .split("## In CI and pre-commit")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap();
    let commands: Vec<&str> = section
        .lines()
        .filter_map(|line| {
            line.find("meshctl validate ")
                .or(line.find("meshctl lint "))
                .map(|at| &line[at..])
        })
        .filter(|command| !command.contains('`'))
        .collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    for command in commands {
        let repo = fake_repository();
        let run = shell_in(repo.path(), command);
        assert_eq!(run.status, 1, "{command}: {}", run.stderr);
        for report in command.split_whitespace().filter_map(|w| w.split_once('=')) {
            let written = std::fs::read_to_string(repo.path().join(report.1)).unwrap();
            assert!(written.contains("MSH1001"), "{command}: {}", report.1);
        }
        if command.contains("-o github") {
            assert!(
                run.stdout.starts_with("::error file=mesh/routes.yaml"),
                "{}",
                run.stdout
            );
        }
    }
}

#[derive(serde::Deserialize)]
struct Hook {
    id: String,
    entry: String,
    language: String,
    pass_filenames: bool,
    args: Vec<String>,
}

#[test]
fn pre_commit_hooks_run_as_pre_commit_runs_them() {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["meshctl-validate", "meshctl-lint"]);
    for hook in &hooks {
        assert_eq!(hook.language, "rust");
        assert!(!hook.pass_filenames);
        let line = format!("{} {}", hook.entry, hook.args.join(" "));
        let repo = fake_repository();
        assert_eq!(shell_in(repo.path(), &line).status, 1, "{line}");
        std::fs::remove_dir_all(repo.path().join("mesh")).unwrap();
        let clean = shell_in(repo.path(), &line);
        assert_eq!(clean.status, 0, "{line}: {}", clean.stdout);
    }
}

#[test]
fn version_names_the_apis_checked() {
    let run = run(&["version"]);
    assert_eq!(run.status, 0);
    assert!(run.stdout.starts_with("meshctl "), "{}", run.stdout);
    assert!(
        run.stdout.contains("Istio: networking.istio.io v1"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Gateway API: "), "{}", run.stdout);
}

/// validate on a fixture of testdata/kinds, which finds errors: its path,
/// its findings (`-o json`) and its text report.
fn validated_kinds_fixture(name: &str) -> (String, Vec<Json>, String) {
    let file = format!("{}/testdata/kinds/{name}", env!("CARGO_MANIFEST_DIR"));
    let (status, findings) = json(&["validate", "-o", "json", &file]);
    assert_eq!(status, 1);
    let text = run(&["validate", &file]).stdout;
    (file, findings, text)
}

#[test]
fn experimental_channel_versions_are_not_checked_rather_than_refused() {
    let (_, findings, text) = validated_kinds_fixture("experimental-channel-versions.yaml");
    assert_eq!(codes(&findings), ["MSH1007"]);
    assert_eq!(findings[0]["origin"], "TLSRoute shop/too-old");
    assert!(
        text.ends_with(
            "in 3 resources (1 file).\n2 resources not checked: TCPRoute (gateway.networking.k8s.io/v1alpha2) x1, TLSRoute (gateway.networking.k8s.io/v1alpha2) x1; add their CRDs with --crd\n"
        ),
        "{text}"
    );
}

#[test]
fn kinds_nothing_checks_never_look_checked() {
    let (file, findings, text) = validated_kinds_fixture("unknown-kinds.yaml");
    assert_eq!(codes(&findings), ["MSH1008"]);
    assert_eq!(findings[0]["path"], "kind");
    assert!(
        text.ends_with(
            "in 5 resources (1 file).\n3 resources not checked: Certificate (cert-manager.io/v1) x2, TrafficExtension (extensions.istio.io/v1alpha1) x1; add their CRDs with --crd\n"
        ),
        "{text}"
    );
    assert!(text.contains("did you mean \"VirtualService\"?"), "{text}");
    let clean = run(&["validate", &format!("{INPUTS}/non-mesh.yaml")]);
    assert_eq!(clean.status, 0);
    assert_eq!(
        clean.stdout,
        "No problems found in 2 resources (1 file).\n1 resource not checked: Widget (widgets.example.com/v1alpha1) x1; add their CRDs with --crd\n"
    );
    // Machine formats keep stdout for the report: the count goes to stderr.
    let machine = run(&["validate", "-o", "json", &file]);
    assert!(
        machine
            .stderr
            .contains("3 resources not checked: Certificate"),
        "{}",
        machine.stderr
    );
}

/// `mkfifo PATH`: a FIFO, as `<(cmd)` gives one.
#[cfg(unix)]
fn make_fifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_walk_never_opens_a_fifo_and_counts_it() {
    // Opening a FIFO nobody writes to blocks forever: a walk must not.
    let dir = tempfile::tempdir().unwrap();
    make_fifo(&dir.path().join("x.yaml"));
    make_fifo(&dir.path().join("not-config"));
    std::fs::copy(
        format!("{INPUTS}/virtualservice.json"),
        dir.path().join("vs.json"),
    )
    .unwrap();
    let text = run_in(dir.path(), &["validate", "."]);
    assert_eq!(text.status, 0, "{}{}", text.stdout, text.stderr);
    assert!(
        text.stdout
            .contains("1 file skipped: not regular files (FIFOs, sockets, devices)."),
        "{}",
        text.stdout
    );
    let json = run_in(dir.path(), &["validate", "-o", "json", "."]);
    assert_eq!(json.stdout.trim(), "[]");
    assert!(
        json.stderr.contains("1 file(s) skipped: not regular files"),
        "{}",
        json.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_read() {
    // `meshctl validate <(kustomize build)`: the shell names a FIFO.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("rendered");
    make_fifo(&fifo);
    let manifest = std::fs::read(format!("{INPUTS}/virtualservice.json")).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, manifest).unwrap())
    };
    let named = run(&["validate", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(named.status, 0, "{}{}", named.stdout, named.stderr);
    assert!(
        named.stdout.contains("in 1 resource (1 file)"),
        "{}",
        named.stdout
    );
}

#[test]
fn config_files_are_read_within_the_input_bounds() {
    // 2,000 bytes of valid configuration, over a 1,000-byte bound: each
    // file flag refuses it with exit 2 instead of reading it whole (as it
    // would read /dev/zero forever).
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    std::fs::write(&big, format!("# {}\n", "x".repeat(2000))).unwrap();
    let big = big.to_str().unwrap();
    let vs = format!("{INPUTS}/virtualservice.json");
    let bound = ["--max-file-bytes", "1000"];
    for (command, flag) in [
        ("lint", "--mesh-config"),
        ("validate", "--crd"),
        ("validate", "--config"),
    ] {
        let refused = run(&[&[command, flag, big], &bound[..], &[&vs]].concat());
        assert_eq!(refused.status, 2, "{flag}: {}", refused.stderr);
        assert!(
            refused.stderr.contains("larger than 1000 bytes")
                && refused.stderr.contains("--max-file-bytes"),
            "{flag}: {}",
            refused.stderr
        );
    }
    std::fs::write(
        dir.path().join(".meshctl.yaml"),
        format!("# {}\n", "x".repeat(2000)),
    )
    .unwrap();
    let found = run_in(dir.path(), &[&["validate"], &bound[..], &[&vs]].concat());
    assert_eq!(found.status, 2, "{}", found.stderr);
    assert!(
        found.stderr.contains("larger than 1000 bytes"),
        "{}",
        found.stderr
    );
}

#[test]
fn a_walked_file_over_the_bound_is_reported_not_read_to_judge_it() {
    // A walk judges each file from its text; one over --max-file-bytes is
    // kept unread, and loading it reports the bound at its place.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("data.yaml"),
        format!("# {}\n", "x".repeat(2000)),
    )
    .unwrap();
    let found = run(&[
        "validate",
        "--max-file-bytes",
        "1000",
        "-o",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(found.status, 1, "{}", found.stderr);
    assert!(
        found.stdout.contains("larger than 1000 bytes"),
        "{}",
        found.stdout
    );
}

#[test]
fn long_values_are_shortened_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let mesh = dir.path().join("mesh.yaml");
    std::fs::write(&mesh, format!("defaultConfig: {}\n", "x".repeat(100_000))).unwrap();
    let vs = format!("{INPUTS}/virtualservice.json");
    let refused = run(&["lint", "--mesh-config", mesh.to_str().unwrap(), &vs]);
    assert_eq!(refused.status, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("(100000 bytes in all)"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.len() < 1000, "{}", refused.stderr);
}

#[test]
fn a_full_stderr_does_not_panic_or_change_the_exit_status() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let cannot_run = meshctl()
        .args(["validate", "no-such-file.yaml"])
        .stderr(full())
        .status()
        .unwrap();
    assert_eq!(cannot_run.code(), Some(2));
    let noted = meshctl()
        .args(["lint", "testdata/lint/shop.yaml", "-o", "json"])
        .stdout(Stdio::null())
        .stderr(full())
        .status()
        .unwrap();
    assert_eq!(noted.code(), Some(0));
}

#[test]
fn names_and_namespaces_the_api_server_refuses_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("names.yaml");
    let long = "a".repeat(300);
    std::fs::write(
        &file,
        format!(
            "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: Bad_Name!, namespace: Shop}}\nspec: {{host: r}}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: {long}}}\nspec: {{host: r}}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: reviews.v1, namespace: shop}}\nspec: {{host: r}}\n"
        ),
    )
    .unwrap();
    let run = run(&["validate", file.to_str().unwrap(), "-o", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let found: Vec<Json> = serde_json::from_str(&run.stdout).unwrap();
    let paths: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["code"].as_str().unwrap(),
                f["line"],
                f["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            "MSH1006 3 metadata.name",
            "MSH1006 3 metadata.namespace",
            "MSH1006 8 metadata.name"
        ],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("bytes in all"),
        "a 300-character name is cut: {}",
        run.stdout
    );
    let bad_ns = run_in(dir.path(), &["validate", "names.yaml", "-n", "BAD NS!"]);
    assert_eq!(bad_ns.status, 2);
    assert!(
        bad_ns.stderr.contains("not a namespace name"),
        "{}",
        bad_ns.stderr
    );
}

#[test]
fn a_json_or_yaml_report_of_a_run_that_cannot_run_still_parses() {
    for (command, format) in [("validate", "json"), ("lint", "yaml")] {
        let run = run(&[command, "no-such-file.yaml", "-o", format]);
        assert_eq!(run.status, 2, "{command}");
        assert_eq!(run.stdout, "[]\n", "{command} -o {format}");
        assert!(run.stderr.contains("no-such-file.yaml"), "{}", run.stderr);
    }
}

#[test]
fn an_input_with_nothing_to_read_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(run.status, 0);
    assert!(run.stderr.contains("nothing was checked"), "{}", run.stderr);
    // The summary does not read as a pass either.
    assert_eq!(
        run.stdout,
        "Nothing was checked: no resources in 0 files.\n"
    );
    let files = run_in(dir.path(), &["validate", "."]);
    assert!(
        files.stderr.contains("no manifest to read in ."),
        "{}",
        files.stderr
    );
}
