//! `meshctl schema`.

use std::fs;
use std::path::Path;

use super::args::SchemaArgs;
use super::output::Stdout;
use super::{EXIT_ERROR, EXIT_OK};
use crate::model::MeshKind;
use crate::model::schema::{all_schemas, render, versioned_schema};

pub fn run(args: &SchemaArgs, out: &mut Stdout) -> u8 {
    if let Some(dir) = &args.out_dir {
        return write_all(Path::new(dir));
    }
    let name = args.kind.as_deref().unwrap_or_default();
    let Some(kind) = MeshKind::from_name(name) else {
        let known: Vec<_> = MeshKind::ALL.iter().map(|k| k.name()).collect();
        eprintln!(
            "meshctl schema: unknown kind {name:?}; one of {}",
            known.join(", ")
        );
        return EXIT_ERROR;
    };
    let version = args
        .api_version
        .as_deref()
        .map(|v| v.rsplit('/').next().unwrap_or(v))
        .unwrap_or(kind.versions()[0]);
    if !kind.versions().contains(&version) {
        eprintln!(
            "meshctl schema: {kind} is not served at {version:?}; one of {}",
            kind.versions().join(", ")
        );
        return EXIT_ERROR;
    }
    out.write_str(&render(&versioned_schema(kind, version)));
    EXIT_OK
}

fn write_all(dir: &Path) -> u8 {
    if let Err(error) = fs::create_dir_all(dir) {
        eprintln!("meshctl schema: cannot create {}: {error}", dir.display());
        return EXIT_ERROR;
    }
    for (file, schema) in all_schemas() {
        let path = dir.join(&file);
        if let Err(error) = fs::write(&path, render(&schema)) {
            eprintln!("meshctl schema: cannot write {}: {error}", path.display());
            return EXIT_ERROR;
        }
    }
    eprintln!(
        "meshctl schema: wrote {} schemas to {}",
        all_schemas().len(),
        dir.display()
    );
    EXIT_OK
}
