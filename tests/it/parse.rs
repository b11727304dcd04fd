//! `meshctl parse`: the normal form as YAML and JSON, the same for two
//! spellings of one configuration, and errors on stderr with exit 1.

use crate::common;

use serde_json::Value;

fn parse(args: &[&str]) -> (i32, String, String) {
    let output = common::meshctl().arg("parse").args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn prints_the_normal_form_with_its_source() {
    let (status, yaml, _) = parse(&["testdata/diff/yaml-vs-json/old"]);
    assert_eq!(status, 0);
    insta::assert_snapshot!("yaml", yaml);
    let (status, json, _) = parse(&["-o", "json", "testdata/diff/yaml-vs-json/new"]);
    assert_eq!(status, 0);
    let parsed: Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("json", parsed);
}

/// The YAML file and the JSON List of the same resources have one normal
/// form: only their sources differ.
#[test]
fn two_spellings_have_one_normal_form() {
    let strip = |args: &[&str]| -> Vec<Value> {
        let (status, json, stderr) = parse(args);
        assert_eq!(status, 0, "{stderr}");
        let mut resources: Vec<Value> = serde_json::from_str(&json).unwrap();
        for r in &mut resources {
            r.as_object_mut().unwrap().remove("source");
        }
        resources
    };
    assert_eq!(
        strip(&["-o", "json", "testdata/diff/yaml-vs-json/old"]),
        strip(&["-o", "json", "testdata/diff/yaml-vs-json/new"])
    );
}

#[test]
fn errors_go_to_stderr_and_exit_1() {
    let (status, json, stderr) = parse(&["-o", "json", "testdata/simulate/invalid.yaml"]);
    assert_eq!(status, 1);
    assert!(serde_json::from_str::<Vec<Value>>(&json).is_ok(), "{json}");
    assert!(
        stderr.contains("testdata/simulate/invalid.yaml:"),
        "{stderr}"
    );
}

#[test]
fn an_unreadable_path_is_exit_2() {
    let (status, stdout, _) = parse(&["testdata/no-such-file.yaml"]);
    assert_eq!(status, 2);
    assert!(stdout.is_empty());
}
