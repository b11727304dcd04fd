//! `meshctl simulate` scenarios: each `tests/simulate_cases/NAME.yaml`
//! lists requests against `testdata/simulate/NAME.yaml` (or the files its `config` names)
//! and what must come out: a subset of the JSON result (`expect`), lines
//! of the trace (`trace`), the exit status and stderr of a refused run,
//! and for weighted draws a statistical check of the counts.

use crate::common;

use std::path::{Path, PathBuf};

use serde_json::Value;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn simulate(args: &[String]) -> Run {
    let output = common::meshctl()
        .arg("simulate")
        .args(args)
        .output()
        .expect("meshctl runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Whether `expected` is a subset of `actual`: objects by key, arrays of
/// the same length element by element, anything else equal (numbers
/// compared as numbers).
pub fn subset(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let got = a.get(k).unwrap_or(&Value::Null);
                subset(v, got, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                subset(e, a, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Ok(()),
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
    }
}

fn trace_lines(result: &Value) -> Vec<String> {
    result["trace"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            format!(
                "{} {}: {}",
                s["verdict"].as_str().unwrap_or_default(),
                s["subject"].as_str().unwrap_or_default(),
                s["detail"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// Each count within `sigmas` standard deviations of its binomial
/// expectation, `count * share`.
fn check_counts(result: &Value, sigmas: f64) -> Result<(), String> {
    let counts = result["counts"].as_object().ok_or("no counts")?;
    let expected = result["expected"].as_object().ok_or("no expected counts")?;
    let total: f64 = expected.values().filter_map(Value::as_f64).sum::<f64>()
        + result["faultCounts"]["aborted"].as_f64().unwrap_or(0.0);
    for (key, n) in counts {
        let n = n.as_f64().unwrap_or(0.0);
        let e = expected[key].as_f64().unwrap_or(0.0);
        let p = e / total;
        let sd = (total * p * (1.0 - p)).sqrt();
        if (n - e).abs() > sigmas * sd + 1.0 {
            return Err(format!(
                "{key}: {n} is more than {sigmas} sd ({sd:.1}) from {e:.1}"
            ));
        }
    }
    Ok(())
}

fn run_case(dir: &Path, config: &[String], case: &Value) -> Result<(), String> {
    let mut args: Vec<String> = config
        .iter()
        .flat_map(|c| ["-f".to_string(), dir.join(c).display().to_string()])
        .collect();
    args.extend(
        case["args"]
            .as_array()
            .ok_or("a case needs args")?
            .iter()
            .map(|a| {
                a.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| a.to_string())
            }),
    );
    let expected_status = case["exit"].as_i64().unwrap_or(0) as i32;
    if expected_status == 0 {
        args.extend(["-o".to_string(), "json".to_string()]);
    }
    let run = simulate(&args);
    if run.status != expected_status {
        return Err(format!(
            "exit {} (expected {expected_status}); stderr: {}",
            run.status, run.stderr
        ));
    }
    for needle in case["stderr"].as_array().into_iter().flatten() {
        let needle = needle.as_str().unwrap_or_default();
        if !run.stderr.contains(needle) {
            return Err(format!("stderr lacks {needle:?}: {}", run.stderr));
        }
    }
    if expected_status != 0 {
        return if run.stdout.is_empty() {
            Ok(())
        } else {
            Err(format!("a refused run printed {}", run.stdout))
        };
    }
    let result: Value =
        serde_json::from_str(&run.stdout).map_err(|e| format!("{e}: {}", run.stdout))?;
    if let Some(expect) = case.get("expect") {
        subset(expect, &result, "$").map_err(|e| format!("{e}\n{}", run.stdout))?;
    }
    let lines = trace_lines(&result);
    for needle in case["trace"].as_array().into_iter().flatten() {
        let needle = needle.as_str().unwrap_or_default();
        if !lines.iter().any(|l| l.contains(needle)) {
            return Err(format!(
                "no trace line contains {needle:?}:\n{}",
                lines.join("\n")
            ));
        }
    }
    if let Some(sigmas) = case["sigmas"].as_f64() {
        check_counts(&result, sigmas)?;
    }
    Ok(())
}

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/simulate")
}

/// The requests and expected outcomes, one file per scenario of
/// `testdata/simulate/` (kept out of `testdata/` so that validating it
/// sees only resources).
fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/simulate_cases")
}

#[test]
fn every_scenario_case_holds() {
    let dir = scenario_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let spec: Value =
            yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let config: Vec<String> = match spec["config"].as_array() {
            Some(list) => list
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect(),
            None => vec![format!("{stem}.yaml")],
        };
        for case in spec["cases"].as_array().expect("cases") {
            count += 1;
            let name = case["name"].as_str().unwrap_or("?");
            if let Err(e) = run_case(&dir, &config, case) {
                failures.push(format!("{stem}: {name}: {e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(count >= 40, "only {count} cases");
}

#[test]
fn the_same_seed_gives_the_same_counts_and_another_seed_other_counts() {
    let config = scenario_dir().join("bookinfo.yaml").display().to_string();
    let counts = |seed: &str| {
        let run = simulate(&[
            "-f".into(),
            config.clone(),
            "--request".into(),
            "GET http://reviews:9080/".into(),
            "--count".into(),
            "100000".into(),
            "--seed".into(),
            seed.into(),
            "-o".into(),
            "json".into(),
        ]);
        let v: Value = serde_json::from_str(&run.stdout).unwrap();
        v["counts"].clone()
    };
    assert_eq!(counts("42"), counts("42"));
    assert_ne!(counts("42"), counts("43"));
}

#[test]
fn the_text_trace_reads_like_an_explanation() {
    let config = scenario_dir().join("bookinfo.yaml").display().to_string();
    let run = simulate(&[
        "-f".into(),
        config,
        "--request".into(),
        "GET http://reviews:9080/reviews/1".into(),
        "--source-principal".into(),
        "cluster.local/ns/default/sa/productpage".into(),
        "--count".into(),
        "1000".into(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = run
        .stdout
        .replace(&scenario_dir().display().to_string(), "testdata/simulate");
    insta::assert_snapshot!(text);
}

#[test]
fn the_gateway_text_trace() {
    let config = scenario_dir().join("gateway.yaml").display().to_string();
    let run = simulate(&[
        "-f".into(),
        config,
        "--gateway".into(),
        "istio-ingress/public".into(),
        "--request".into(),
        "GET http://shop.example.com/cart/items".into(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

/// A mesh HTTPRoute's decision, in text and JSON: the trace and the
/// result name the route, its rule and its match.
#[test]
fn the_gateway_api_mesh_trace() {
    let config = scenario_dir()
        .join("gateway-api-mesh.yaml")
        .display()
        .to_string();
    let args = |format: &str| {
        [
            "-f",
            &config,
            "--request",
            "GET http://cart.shop:8080/api/items",
            "--source-namespace",
            "shop",
            "-o",
            format,
        ]
        .map(String::from)
    };
    let text = simulate(&args("text"));
    assert_eq!(text.status, 0, "{}", text.stderr);
    insta::assert_snapshot!("the_gateway_api_mesh_trace_text", text.stdout);
    let json = simulate(&args("json"));
    assert_eq!(json.status, 0, "{}", json.stderr);
    insta::assert_snapshot!("the_gateway_api_mesh_trace_json", json.stdout);
}

/// The text trace of a request through a gateway of a scenario.
fn gateway_trace(scenario: &str, gateway: &str, request: &str) -> String {
    let config = scenario_dir().join(scenario).display().to_string();
    let run = simulate(&[
        "-f".into(),
        config,
        "--gateway".into(),
        gateway.into(),
        "--request".into(),
        request.into(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.stdout
}

/// Ingress through a Gateway API Gateway: the trace names the listener,
/// the routes it refuses and why, and the route, rule and match taken.
#[test]
fn the_gateway_api_ingress_trace() {
    insta::assert_snapshot!(gateway_trace(
        "gateway-api-ingress.yaml",
        "infra/public",
        "GET http://blog.example.com/shop/x"
    ));
}

/// A Gateway extended by ListenerSets: the trace names the ListenerSet
/// the Gateway does not admit and the conflicted listener, and the
/// listener, of which ListenerSet, that takes the request.
#[test]
fn the_gateway_api_listener_set_trace() {
    insta::assert_snapshot!(gateway_trace(
        "gateway-api-listener-set.yaml",
        "infra/public",
        "GET http://shop.example.com:8080/cart"
    ));
}

/// An HTTPRoute rule's `retry` in the text report, as a VirtualService's
/// retries are shown.
#[test]
fn the_gateway_api_retry_text() {
    let config = scenario_dir()
        .join("gateway-api-retry.yaml")
        .display()
        .to_string();
    let run = simulate(&[
        "-f".into(),
        config,
        "--request".into(),
        "GET http://orders.shop:8080/pay".into(),
        "--source-namespace".into(),
        "shop".into(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn count_is_bounded() {
    // Each request is drawn one by one: 10^12 would run for hours.
    let config = scenario_dir().join("bookinfo.yaml").display().to_string();
    let args = |count: &str| {
        [
            "-f",
            &config,
            "--request",
            "GET http://reviews:9080/",
            "--count",
            count,
        ]
        .map(String::from)
    };
    let refused = simulate(&args("1000000000000"));
    assert_eq!(refused.status, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("--count") && refused.stderr.contains("100000000"),
        "{}",
        refused.stderr
    );
    assert_eq!(simulate(&args("10")).status, 0);
}
