//! `meshctl lint`: validate, then the cross-resource analyzers, offline.

use super::args::LintArgs;
use super::findings;
use super::inputs::Inputs;
use super::outcome::{CliError, Outcome};
use super::output::Stdout;
use crate::analyze::{LintOptions, lint, select};
use crate::snapshot::SnapshotOptions;

pub fn run(args: &LintArgs, out: &mut Stdout) -> Outcome {
    let outcome = lint_files(args, out);
    findings::on_failure(outcome, "lint", &args.report, out)
}

pub(super) fn lint_files(args: &LintArgs, out: &mut Stdout) -> Outcome {
    let inputs = Inputs::gather(&args.input)?
        .with_mesh(&args.mesh)?
        .with_custom_kinds(&args.custom_kinds)?;
    let options = lint_options(args, &inputs)?;
    let loaded = inputs.load_lean()?;
    let found = lint(loaded.objects, loaded.findings, options);
    findings::report(found, loaded.stats, &args.report, &inputs, out)
}

/// The analysis lint's flags ask for: the MeshConfig, suppressions and
/// `--analyzer` (analyze shares them).
pub(super) fn lint_options(args: &LintArgs, inputs: &Inputs) -> Result<LintOptions, CliError> {
    let mut options = LintOptions {
        snapshot: SnapshotOptions {
            mesh_networks: inputs.mesh_networks.clone(),
            ..SnapshotOptions::new(inputs.mesh.clone())
        },
        suppressions: inputs.project.suppressions(&args.suppress)?,
        ..LintOptions::default()
    };
    select(&args.analyzers, &mut options)?;
    Ok(options)
}
