//! `meshctl validate`.

use std::io::IsTerminal;
use std::sync::Arc;

use super::args::{OutputFormat, ReportArgs, Threshold, ValidateArgs};
use super::output::Stdout;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, color_wanted};
use crate::loader::{InputSpec, collect_inputs};
use crate::report::{self, Diagnostic, Format, Level, RunStats, TextStyle};
use crate::validate::crd::load_crds;
use crate::validate::{ValidateOptions, validate_inputs};

pub fn run(args: &ValidateArgs, out: &mut Stdout) -> u8 {
    let paths = args.input.all_paths();
    if paths.is_empty() {
        eprintln!("meshctl validate: no input; name files or directories, or - for stdin");
        return EXIT_ERROR;
    }
    let spec = InputSpec {
        paths,
        follow_symlinks: args.input.follow_symlinks,
    };
    let limits = args.input.limits.limits();
    let crds = if args.crds.is_empty() {
        None
    } else {
        match load_crds(&args.crds, args.input.follow_symlinks, &limits) {
            Ok(crds) => Some(Arc::new(crds)),
            Err(error) => {
                eprintln!("meshctl validate: --crd: {error}");
                return EXIT_ERROR;
            }
        }
    };
    let options = ValidateOptions {
        default_namespace: args.input.namespace.clone(),
        keep_models: false,
        crds,
    };
    let validated =
        collect_inputs(&spec).and_then(|inputs| validate_inputs(&inputs, &limits, &options));
    let validated = match validated {
        Ok(validated) => validated,
        Err(error) => {
            eprintln!("meshctl validate: {error}");
            return EXIT_ERROR;
        }
    };
    report_findings(&validated.diagnostics, validated.stats, &args.report, out)
}

/// Renders findings and decides the exit status, the same for every format.
pub fn report_findings(
    diagnostics: &[Diagnostic],
    stats: RunStats,
    args: &ReportArgs,
    out: &mut Stdout,
) -> u8 {
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
    out.with(|w| report::render(w, format, diagnostics, stats, &rules));
    let threshold = match args.fail_on {
        Threshold::Error => Level::Error,
        Threshold::Warning => Level::Warning,
        Threshold::Info => Level::Info,
    };
    if diagnostics.iter().any(|d| d.level >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
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
