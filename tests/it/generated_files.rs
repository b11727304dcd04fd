//! The committed generated files (schemas/, completions/) match what the code
//! generates. Run with MESHCTL_BLESS=1 to rewrite them.

use std::fs;
use std::path::Path;

use clap_complete::Shell;
use meshctl::cli::completion_script;
use meshctl::model::schema::{all_schemas, render};

fn check(path: &Path, expected: &str, stale: &mut Vec<String>) {
    let committed = fs::read_to_string(path).unwrap_or_default();
    if committed == expected {
        return;
    }
    if std::env::var_os("MESHCTL_BLESS").is_some() {
        fs::write(path, expected).unwrap();
    } else {
        stale.push(path.display().to_string());
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_schemas_are_current() {
    let mut stale = Vec::new();
    let generated = all_schemas();
    for (file, schema) in &generated {
        check(
            &root().join("schemas").join(file),
            &render(schema),
            &mut stale,
        );
    }
    let committed = fs::read_dir(root().join("schemas")).unwrap().count();
    assert_eq!(
        committed,
        generated.len(),
        "schemas/ holds files the code no longer generates"
    );
    assert!(
        stale.is_empty(),
        "stale: {stale:?}; run `MESHCTL_BLESS=1 cargo test`"
    );
}

#[test]
fn committed_completions_are_current() {
    let mut stale = Vec::new();
    for (shell, extension) in [
        (Shell::Bash, "bash"),
        (Shell::Zsh, "zsh"),
        (Shell::Fish, "fish"),
        (Shell::PowerShell, "powershell"),
        (Shell::Elvish, "elvish"),
    ] {
        let path = root()
            .join("completions")
            .join(format!("meshctl.{extension}"));
        check(&path, &completion_script(shell), &mut stale);
    }
    assert!(
        stale.is_empty(),
        "stale: {stale:?}; run `MESHCTL_BLESS=1 cargo test`"
    );
}
