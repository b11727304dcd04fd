//! Golden listing of what `validate` finds in every fixture under
//! testdata/: one line per finding, so a change in any message, position or
//! path shows up in review (`cargo insta review`).

use std::path::Path;

use meshctl::loader::{Input, InputSpec, Limits, collect_inputs};
use meshctl::validate::{ValidateOptions, validate_inputs};

fn listing(dir: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = InputSpec {
        paths: vec![root.join(dir).display().to_string()],
        follow_symlinks: false,
    };
    let inputs: Vec<Input> = collect_inputs(&spec).unwrap();
    let options = ValidateOptions {
        default_namespace: "default".into(),
        keep_models: false,
        let_go_texts: false,
        custom_kinds: Default::default(),
    };
    let validated = validate_inputs(&inputs, &Limits::default(), &options).unwrap();
    let prefix = format!("{}/", root.display());
    validated
        .diagnostics
        .iter()
        // A scenario's fixtures are variants of one configuration, each
        // read on its own, so each defines the scenario's resources again.
        .filter(|d| d.code() != "MSH0005")
        .map(|d| {
            let location = d.location.as_ref().unwrap();
            format!(
                "{}:{}:{} {} {} [{}] {}",
                location.source.name.trim_start_matches(&prefix),
                location.pos.line,
                location.pos.column,
                d.rule.code,
                d.origin
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| "-".into()),
                location.path,
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn scenario_findings() {
    insta::assert_snapshot!(listing("testdata/scenarios"));
}

#[test]
fn input_findings() {
    insta::assert_snapshot!(listing("testdata/inputs"));
}
