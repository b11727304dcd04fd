//! `meshctl schema`.

use std::fs;
use std::path::Path;

use super::args::SchemaArgs;
use super::outcome::{Outcome, Status};
use super::output::Stdout;
use crate::model::MeshKind;
use crate::model::schema::{all_schemas, render, versioned_schema};

pub fn run(args: &SchemaArgs, out: &mut Stdout) -> Outcome {
    if let Some(dir) = &args.out_dir {
        return write_all(Path::new(dir));
    }
    let name = args.kind.as_deref().unwrap_or_default();
    // `--api-version gateway.networking.k8s.io/v1` picks that group's kind
    // where two groups share a name (`Gateway`).
    let group = args
        .api_version
        .as_deref()
        .and_then(|v| v.rsplit_once('/'))
        .map(|(group, _)| group);
    let Some(kind) = MeshKind::from_name(name, group) else {
        let known: Vec<_> = MeshKind::ALL.iter().map(|k| k.name()).collect();
        return Err(format!("unknown kind {name:?}; one of {}", known.join(", ")).into());
    };
    let version = args
        .api_version
        .as_deref()
        .map(|v| v.rsplit('/').next().unwrap_or(v))
        .unwrap_or(kind.versions()[0]);
    if !kind.versions().contains(&version) {
        return Err(format!(
            "{kind} is not served at {version:?}; one of {}",
            kind.versions().join(", ")
        )
        .into());
    }
    out.write_str(&render(&versioned_schema(kind, version)));
    Ok(Status::Clean)
}

fn write_all(dir: &Path) -> Outcome {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (file, schema) in all_schemas() {
        let path = dir.join(&file);
        fs::write(&path, render(&schema))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    // A notice, not the report: stdout stays empty.
    super::output::stderr_line(&format!(
        "meshctl schema: wrote {} schemas to {}",
        all_schemas().len(),
        dir.display()
    ));
    Ok(Status::Clean)
}
