//! The committed generated files (schemas/, completions/) match what the code
//! generates. Run with MESHCTL_BLESS=1 to rewrite them.

use std::fs;
use std::path::Path;

use clap_complete::Shell;
use meshctl::cli::completion_script;
use meshctl::model::schema::{COMBINED_FILE_NAME, all_schemas, render};

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

/// The `$defs` names a schema fragment refers to, wherever they sit
/// (`anyOf` of an optional field, `items`, map values).
fn referenced_defs(schema: &serde_json::Value, found: &mut Vec<String>) {
    match schema {
        serde_json::Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(|r| r.as_str()) {
                found.extend(reference.strip_prefix("#/$defs/").map(str::to_owned));
            }
            map.values().for_each(|v| referenced_defs(v, found));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| referenced_defs(v, found)),
        _ => {}
    }
}

/// `Def.field` for every property reachable from `spec` that has no
/// description.
fn undescribed_fields(schema: &serde_json::Value) -> Vec<String> {
    let mut queue = Vec::new();
    referenced_defs(&schema["properties"]["spec"], &mut queue);
    let mut seen = std::collections::BTreeSet::new();
    let mut missing = Vec::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let def = &schema["$defs"][&name];
        for (field, property) in def["properties"].as_object().into_iter().flatten() {
            let described = property["description"]
                .as_str()
                .is_some_and(|d| !d.trim().is_empty());
            if !described {
                missing.push(format!("{name}.{field}"));
            }
            referenced_defs(property, &mut queue);
        }
    }
    missing
}

/// Every field of every kind explains itself on hover (yaml-language-server
/// shows `description`).
#[test]
fn every_kind_describes_every_field() {
    for (file, schema) in all_schemas() {
        if file == COMBINED_FILE_NAME {
            continue;
        }
        let missing = undescribed_fields(&schema);
        assert!(
            missing.is_empty(),
            "{file}: fields without a description (add a /// comment in src/model/): {missing:?}"
        );
    }
}
