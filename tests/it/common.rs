//! What the binary-running tests share.

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
