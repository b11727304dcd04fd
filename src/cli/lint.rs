//! `meshctl lint`: validate, then the cross-resource analyzers, offline.

use super::EXIT_ERROR;
use super::args::{LintArgs, MeshArgs};
use super::output::Stdout;
use super::validate::{project_config, read_and_validate, report_findings};
use crate::analyze::suppress::FlagSuppression;
use crate::analyze::{LintOptions, lint, select};
use crate::loader::{Limits, SourceFile, parse_documents};
use crate::snapshot::MeshConfig;

pub fn run(args: &LintArgs, out: &mut Stdout) -> u8 {
    let config = match project_config("lint") {
        Ok(config) => config,
        Err(status) => return status,
    };
    let suppressions: Result<Vec<_>, _> = config
        .suppress
        .iter()
        .chain(&args.suppress)
        .map(|s| FlagSuppression::parse(s))
        .collect();
    let suppressions = match suppressions {
        Ok(s) => s,
        Err(error) => {
            eprintln!("meshctl lint: {error}");
            return EXIT_ERROR;
        }
    };
    let mesh = match read_mesh_config(&args.mesh) {
        Ok(mesh) => mesh,
        Err(error) => {
            eprintln!("meshctl lint: {error}");
            return EXIT_ERROR;
        }
    };
    let validated = match read_and_validate("lint", &args.input, &[], true, &config) {
        Ok(validated) => validated,
        Err(status) => return status,
    };
    let objects = validated
        .models
        .into_iter()
        .flat_map(|m| m.objects)
        .collect();
    let mut options = LintOptions {
        mesh,
        suppressions,
        ..LintOptions::default()
    };
    if let Err(error) = select(&args.analyzers, &mut options) {
        eprintln!("meshctl lint: {error}");
        return EXIT_ERROR;
    }
    let found = lint(objects, validated.diagnostics, options);
    report_findings(found, validated.stats, &args.report, &config, out)
}

/// `--mesh-config FILE`, or Istio's defaults.
pub fn read_mesh_config(args: &MeshArgs) -> Result<MeshConfig, String> {
    let Some(path) = &args.mesh_config else {
        return Ok(MeshConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--mesh-config {path}: cannot read it: {e}"))?;
    let source = SourceFile::new(path.clone(), text);
    let documents = parse_documents(&source, &Limits::default());
    let document = documents.first();
    if let Some(problem) = document.and_then(|d| d.problems.first()) {
        return Err(format!(
            "--mesh-config {path}:{}:{}: {}",
            problem.pos.line, problem.pos.column, problem.message
        ));
    }
    match document.and_then(|d| d.root.as_ref()) {
        Some(root) => MeshConfig::from_node(root).map_err(|e| format!("--mesh-config {path}:{e}")),
        None => Ok(MeshConfig::default()),
    }
}
