//! The output side of the diagnostics commands (`validate`, `lint`, and
//! `analyze` to come): the project's rule settings, `--output-threshold`,
//! the renderer chosen with `-o` from `report/`, and `--fail-on`, the same
//! for every format.

use std::io::{self, IsTerminal};

use super::args::{ColorChoice, OutputFormat, ReportArgs, Threshold};
use super::outcome::Status;
use super::output::Stdout;
use super::project_config::ProjectConfig;
use crate::report::{self, Diagnostic, Format, Level, RunStats, TextStyle};

/// Renders the findings and tells whether any reaches the failure threshold.
pub fn report(
    mut diagnostics: Vec<Diagnostic>,
    stats: RunStats,
    args: &ReportArgs,
    project: &ProjectConfig,
    out: &mut Stdout,
) -> Status {
    project.apply(&mut diagnostics);
    let shown = level_of(args.output_threshold);
    diagnostics.retain(|d| d.level >= shown);
    let rules = crate::rules::all();
    out.with(|w| report::render(w, format_of(args), &diagnostics, stats, &rules));
    let threshold = level_of(args.fail_on);
    if diagnostics.iter().any(|d| d.level >= threshold) {
        Status::Findings
    } else {
        Status::Clean
    }
}

fn format_of(args: &ReportArgs) -> Format {
    match args.output {
        OutputFormat::Text => Format::Text(TextStyle {
            color: color_wanted(args.color),
            width: terminal_width(),
        }),
        OutputFormat::Json => Format::Json,
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Sarif => Format::Sarif,
    }
}

fn level_of(threshold: Threshold) -> Level {
    match threshold {
        Threshold::Error => Level::Error,
        Threshold::Warning => Level::Warning,
        Threshold::Info => Level::Info,
    }
}

/// Whether the text report may use colour: only on a terminal, and never
/// when NO_COLOR is set (https://no-color.org).
fn color_wanted(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn terminal_width() -> usize {
    const DEFAULT: usize = 100;
    if !io::stdout().is_terminal() {
        return DEFAULT;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(DEFAULT)
}
