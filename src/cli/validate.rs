//! `meshctl validate`.

use std::io::IsTerminal;
use std::sync::Arc;

use super::args::{InputArgs, OutputFormat, ReportArgs, Threshold, ValidateArgs};
use super::output::Stdout;
use super::project_config::{self, ProjectConfig};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, color_wanted};
use crate::loader::{Input, InputSpec, collect_inputs};
use crate::report::{self, Diagnostic, Format, Level, RunStats, TextStyle};
use crate::validate::crd::load_crds;
use crate::validate::{ValidateOptions, Validated, validate_inputs};

pub fn run(args: &ValidateArgs, out: &mut Stdout) -> u8 {
    let config = match project_config("validate") {
        Ok(config) => config,
        Err(status) => return status,
    };
    match read_and_validate("validate", &args.input, &args.crds, false, &config) {
        Ok(validated) => report_findings(
            validated.diagnostics,
            validated.stats,
            &args.report,
            &config,
            out,
        ),
        Err(status) => status,
    }
}

/// The nearest `.meshctl.yaml` (or the defaults); a broken one stops the
/// run, since its settings would otherwise be silently ignored.
pub fn project_config(command: &str) -> Result<ProjectConfig, u8> {
    let cwd = std::env::current_dir().unwrap_or_default();
    match ProjectConfig::discover(&cwd) {
        Ok(config) => Ok(config.unwrap_or_default()),
        Err(error) => {
            eprintln!("meshctl {command}: {error}");
            Err(EXIT_ERROR)
        }
    }
}

/// Reads the inputs and validates them; on failure the reason is on stderr
/// and the exit status is returned. `lint` keeps the models.
pub fn read_and_validate(
    command: &str,
    input: &InputArgs,
    crd_paths: &[String],
    keep_models: bool,
    config: &ProjectConfig,
) -> Result<Validated, u8> {
    let paths = input.all_paths();
    if paths.is_empty() {
        eprintln!("meshctl {command}: no input; name files or directories, or - for stdin");
        return Err(EXIT_ERROR);
    }
    let spec = InputSpec {
        paths,
        follow_symlinks: input.follow_symlinks,
    };
    let limits = input.limits.limits();
    let crds = if crd_paths.is_empty() {
        None
    } else {
        match load_crds(crd_paths, input.follow_symlinks, &limits) {
            Ok(crds) => Some(Arc::new(crds)),
            Err(error) => {
                eprintln!("meshctl {command}: --crd: {error}");
                return Err(EXIT_ERROR);
            }
        }
    };
    let options = ValidateOptions {
        default_namespace: input.namespace.clone(),
        keep_models,
        crds,
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    collect_inputs(&spec)
        .map(|mut inputs| {
            inputs.retain(|input| !config.ignores(input, &cwd) && !is_project_config(input));
            inputs
        })
        .and_then(|inputs| validate_inputs(&inputs, &limits, &options))
        .map_err(|error| {
            eprintln!("meshctl {command}: {error}");
            EXIT_ERROR
        })
}

/// Renders findings and decides the exit status, the same for every format.
pub fn report_findings(
    mut diagnostics: Vec<Diagnostic>,
    stats: RunStats,
    args: &ReportArgs,
    config: &ProjectConfig,
    out: &mut Stdout,
) -> u8 {
    config.apply(&mut diagnostics);
    let shown = level_of(args.output_threshold);
    diagnostics.retain(|d| d.level >= shown);
    let format = match args.output {
        OutputFormat::Text => Format::Text(TextStyle {
            color: color_wanted(args.color),
            width: terminal_width(),
        }),
        OutputFormat::Json => Format::Json,
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Sarif => Format::Sarif,
    };
    let rules = crate::rules::all();
    out.with(|w| report::render(w, format, &diagnostics, stats, &rules));
    let threshold = level_of(args.fail_on);
    if diagnostics.iter().any(|d| d.level >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// meshctl's own configuration file is never a resource.
fn is_project_config(input: &Input) -> bool {
    matches!(input, Input::File(path) if path.file_name().is_some_and(|n| n == project_config::FILE_NAME))
}

fn level_of(threshold: Threshold) -> Level {
    match threshold {
        Threshold::Error => Level::Error,
        Threshold::Warning => Level::Warning,
        Threshold::Info => Level::Info,
    }
}

fn terminal_width() -> usize {
    const DEFAULT: usize = 100;
    if !std::io::stdout().is_terminal() {
        return DEFAULT;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(DEFAULT)
}
