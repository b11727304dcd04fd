//! `meshctl diff`: the scenario pairs of `testdata/diff/` (text and JSON
//! snapshots, with `--traffic`), diff(1)'s exit statuses, every reported
//! request class reproduced with `meshctl simulate`, and properties: a
//! configuration against itself, or against itself with documents and keys
//! shuffled, has no difference.

use crate::common;
use crate::simulate::subset;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Map, Value};

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn meshctl(args: &[&str]) -> Run {
    let output = common::meshctl().args(args).output().expect("meshctl runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every scenario of `testdata/diff/`, by name.
fn scenarios() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("testdata/diff"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.contains('.'))
        .collect();
    names.sort();
    names
}

fn sides(name: &str) -> (String, String) {
    (
        format!("testdata/diff/{name}/old"),
        format!("testdata/diff/{name}/new"),
    )
}

/// Scenarios whose two sides are the same configuration written another way.
const UNCHANGED: &[&str] = &[
    "list-split",
    "moved-resource",
    "reordered-hosts",
    "v1beta1-vs-v1",
    "yaml-vs-json",
];

#[test]
fn scenario_pairs_text_and_json() {
    for name in scenarios() {
        let (old, new) = sides(&name);
        let text = meshctl(&["diff", "--traffic", &old, &new]);
        let json = meshctl(&["diff", "--traffic", "-o", "json", &old, &new]);
        let want = if UNCHANGED.contains(&name.as_str()) {
            0
        } else {
            1
        };
        assert_eq!(text.status, want, "{name}: {}", text.stderr);
        assert_eq!(json.status, want, "{name}: {}", json.stderr);
        let parsed: Value = serde_json::from_str(&json.stdout).expect("diff -o json is JSON");
        insta::assert_snapshot!(format!("{name}_text"), text.stdout);
        insta::assert_json_snapshot!(format!("{name}_json"), parsed);
    }
}

#[test]
fn a_route_that_moved_is_a_move() {
    let (old, new) = sides("moved-route");
    let run = meshctl(&["diff", "-o", "json", &old, &new]);
    let parsed: Value = serde_json::from_str(&run.stdout).unwrap();
    let change = &parsed["changes"][0];
    assert_eq!(change["fields"], serde_json::json!([]));
    assert_eq!(change["moves"].as_array().unwrap().len(), 1, "{change}");
}

#[test]
fn stat_is_a_table_by_kind() {
    let (old, new) = sides("new-subset");
    let run = meshctl(&["diff", "--stat", &old, &new]);
    assert_eq!(run.status, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn every_reported_class_is_reproduced_by_simulate() {
    let mut checked = 0;
    for name in scenarios() {
        let (old, new) = sides(&name);
        let run = meshctl(&["diff", "--traffic", "-o", "json", &old, &new]);
        let parsed: Value = serde_json::from_str(&run.stdout).unwrap();
        for class in parsed["traffic"].as_array().unwrap() {
            let flags: Vec<&str> = class["request"]["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            for (side, outcome) in [(&old, &class["before"]), (&new, &class["after"])] {
                let mut args = vec!["simulate", "-f", side.as_str(), "-o", "json"];
                args.extend(&flags);
                let simulated = meshctl(&args);
                if outcome.get("error").is_some() {
                    assert_eq!(simulated.status, 2, "{name} {flags:?}");
                    continue;
                }
                assert_eq!(
                    simulated.status, 0,
                    "{name} {flags:?}: {}",
                    simulated.stderr
                );
                let got: Value = serde_json::from_str(&simulated.stdout).unwrap();
                if let Err(e) = subset(outcome, &got, "") {
                    panic!("{name} {side} {flags:?}: {e}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} classes reported");
}

#[test]
fn exit_statuses_are_diffs() {
    let (old, new) = sides("canary-weight");
    assert_eq!(meshctl(&["diff", &old, &old]).status, 0);
    assert_eq!(meshctl(&["diff", &old, &new]).status, 1);
    let missing = meshctl(&["diff", &old, "testdata/diff/no-such-dir"]);
    assert_eq!(missing.status, 2, "{}", missing.stderr);
    let one = meshctl(&["diff", &old]);
    assert_eq!(one.status, 2);
    assert!(one.stderr.contains("OLD and NEW"), "{}", one.stderr);
    let cluster = meshctl(&[
        "diff",
        "--cluster",
        "--kubeconfig",
        "testdata/diff/no-such-kubeconfig",
        &new,
    ]);
    assert_eq!(cluster.status, 2);
    assert!(
        cluster.stderr.contains("no-such-kubeconfig") && cluster.stderr.lines().count() == 1,
        "{}",
        cluster.stderr
    );
    assert!(cluster.stdout.is_empty());
    let two = meshctl(&["diff", "--cluster", &old, &new]);
    assert_eq!(two.status, 2);
    assert!(
        two.stderr.contains("one configuration, NEW"),
        "{}",
        two.stderr
    );
}

#[test]
fn an_error_on_either_side_is_trouble_with_its_location() {
    let run = meshctl(&[
        "diff",
        "testdata/simulate/bookinfo.yaml",
        "testdata/simulate/invalid.yaml",
    ]);
    assert_eq!(run.status, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("testdata/simulate/invalid.yaml:"),
        "{}",
        run.stderr
    );
}

/// NEW reads the documents written as OLD's clean ones without checking
/// them again; a document with a finding is checked on both sides, so an
/// error present on both is reported at both places.
#[test]
fn an_error_in_a_document_on_both_sides_is_reported_on_both() {
    let faulty = "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\n\
                  metadata: {name: faulty, namespace: shop}\nspec:\n  hostz: [cart]\n";
    let clean = "---\napiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\n\
                 spec:\n  ports: [{port: 80, name: http}]\n";
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&old, format!("{faulty}{clean}")).unwrap();
    std::fs::write(&new, format!("{clean}{clean}{faulty}")).unwrap();
    let run = meshctl(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    for place in [
        format!("{}:6:", old.display()),
        format!("{}:18:", new.display()),
    ] {
        assert!(run.stderr.contains(&place), "{place} in {}", run.stderr);
    }
    std::fs::write(&new, format!("{clean}{clean}")).unwrap();
    let run = meshctl(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(run.status, 2, "OLD's error alone: {}", run.stderr);
}

/// Configuration fixtures that are valid: every scenario side, simulate's
/// and lint's scenario folders.
fn fixtures() -> Vec<String> {
    let mut out = Vec::new();
    for name in scenarios() {
        let (old, new) = sides(&name);
        out.extend([old, new]);
    }
    for entry in std::fs::read_dir(root().join("testdata/simulate")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n != "invalid.yaml") {
            out.push(relative(&path));
        }
    }
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

#[test]
fn a_configuration_against_itself_has_no_difference() {
    for fixture in fixtures() {
        let run = meshctl(&["diff", "--traffic", &fixture, &fixture]);
        assert_eq!(run.status, 0, "{fixture}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.is_empty(), "{fixture}: {}", run.stdout);
    }
}

/// Every document of the YAML files under `path`, as JSON.
fn documents(path: &Path) -> Vec<Value> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut files: Vec<PathBuf> = walk(path);
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for document in yaml_serde::Deserializer::from_str(&text) {
            let value = Value::deserialize(document).unwrap();
            if !value.is_null() {
                out.push(value);
            }
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            files.push(path);
        }
    }
    files
}

/// A value with the keys of every mapping in another order (lists keep
/// theirs: their order can mean something).
fn shuffle_keys(value: &Value, rng: &mut impl FnMut(usize) -> usize) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            shuffle(&mut entries, rng);
            let shuffled: Map<String, Value> = entries
                .into_iter()
                .map(|(k, v)| (k.clone(), shuffle_keys(v, rng)))
                .collect();
            Value::Object(shuffled)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| shuffle_keys(i, rng)).collect()),
        other => other.clone(),
    }
}

fn shuffle<T>(items: &mut [T], rng: &mut impl FnMut(usize) -> usize) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng(i + 1));
    }
}

/// `meshctl parse -o json`, without sources, sorted.
fn normal_forms(path: &str) -> Vec<String> {
    let run = meshctl(&["parse", "-o", "json", path]);
    assert_eq!(run.status, 0, "{path}: {}", run.stderr);
    let resources: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let mut out: Vec<String> = resources
        .into_iter()
        .map(|mut r| {
            r.as_object_mut().unwrap().remove("source");
            r.to_string()
        })
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn shuffled_documents_and_keys_make_no_difference(pick in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let fixtures = fixtures();
        let fixture = &fixtures[pick.index(fixtures.len())];
        let mut state = seed | 1;
        let mut rng = |bound: usize| {
            // xorshift: a reproducible order from the seed.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut docs = documents(&root().join(fixture));
        shuffle(&mut docs, &mut rng);
        let text: String = docs
            .iter()
            .map(|d| format!("---\n{}\n", shuffle_keys(d, &mut rng)))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let shuffled = dir.path().join("shuffled.yaml");
        std::fs::write(&shuffled, text).unwrap();
        let run = meshctl(&["diff", fixture, shuffled.to_str().unwrap()]);
        prop_assert_eq!(run.status, 0, "{}: {}{}", fixture, run.stdout, run.stderr);
        // diff tells most unchanged pairs by their typed content; the
        // normal forms themselves must agree too.
        prop_assert_eq!(normal_forms(fixture), normal_forms(shuffled.to_str().unwrap()), "{}", fixture);
    }
}
