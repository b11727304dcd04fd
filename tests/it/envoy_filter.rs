//! EnvoyFilter patch values through the binary: read against Envoy's v3
//! types as istiod reads them, each finding at its field.

use crate::common::meshctl;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/envoy-filter");

fn validate(file: &str) -> (i32, String) {
    let output = meshctl()
        .current_dir(DIR)
        .args(["validate", file])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code().unwrap_or(-1), stdout)
}

#[test]
fn patch_values_envoy_reads_cleanly_pass() {
    let (status, stdout) = validate("good.yaml");
    assert_eq!(status, 0, "{stdout}");
    assert!(
        stdout.starts_with("No problems found in 3 resources"),
        "{stdout}"
    );
}

#[test]
fn mistyped_values_unknown_types_and_fields_are_reported_at_their_field() {
    let (status, stdout) = validate("broken.yaml");
    assert_eq!(status, 1);
    insta::assert_snapshot!(stdout);
}
