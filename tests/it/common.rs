//! What the integration tests share.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

/// The built `meshctl`, run from the repository root, without colour.
pub fn meshctl() -> Command {
    let mut command = Command::cargo_bin("meshctl").unwrap();
    command
        .env("NO_COLOR", "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// `../shared/<path>` (the CLI contract, conformance runners and Istio's
/// reference CRDs, beside the checkout), for the cross-checks that need it.
///
/// A clone of this repository alone does not have it: then the calling test
/// is skipped with a notice and `None` is returned. CI has it, so with
/// `CI=true` a missing `../shared` fails the test instead of skipping it.
pub fn shared(path: &str) -> Option<PathBuf> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path);
    present_or_skipped(full, "is not beside the checkout")
}

/// Third-party test data the repository does not carry (the SARIF 2.1.0
/// JSON Schema): `tests/fetch-test-data.sh` downloads it into
/// `target/test-data/`, and `.ci/run` runs that script. Skipped like
/// [`shared`] when it is missing.
pub fn fetched(file: &str) -> Option<PathBuf> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-data")
        .join(file);
    present_or_skipped(full, "has not been fetched: run tests/fetch-test-data.sh")
}

fn present_or_skipped(full: PathBuf, why: &str) -> Option<PathBuf> {
    if full.exists() {
        return Some(full);
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test}: {} is missing, and CI=true needs it",
        full.display()
    );
    // Straight to stderr: the harness hides what a passing test prints
    // through eprintln!, and this notice must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "note: {test} skipped: {} {why}",
        full.display()
    );
    None
}
