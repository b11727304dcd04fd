//! The output side of the diagnostics commands (`validate`, `lint`, and
//! `analyze` to come): the project's rule settings, `--output-threshold`,
//! the renderer chosen with `-o` (stdout) and each `--report FORMAT=PATH`
//! from `report/`, and `--fail-on`, the same for every format.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::args::{ColorChoice, FailOn, OutputFormat, ReportArgs, Threshold};
use super::inputs::Inputs;
use super::outcome::{CliError, Outcome, Status};
use super::output::{Stdout, note};
use crate::report::{
    self, Diagnostic, Format, Level, Report, RunStats, Summary, TextStyle, sarif_failure,
};

/// Renders the findings and tells whether any reaches the failure threshold.
pub fn report(
    mut diagnostics: Vec<Diagnostic>,
    stats: RunStats,
    args: &ReportArgs,
    inputs: &Inputs,
    out: &mut Stdout,
) -> Outcome {
    inputs.project.apply(&mut diagnostics);
    // As in istioctl, the exit status comes from every finding; the
    // threshold only filters what is shown.
    let failing = match args.fail_on {
        FailOn::None => false,
        fail_on => diagnostics.iter().any(|d| d.level >= fail_level(fail_on)),
    };
    let shown = level_of(args.output_threshold);
    let before = diagnostics.len();
    diagnostics.retain(|d| d.level >= shown);
    let summary = Summary {
        stats,
        not_manifests: inputs.skipped.not_manifests,
        not_regular: inputs.skipped.not_regular,
        templates: inputs.skipped.templates,
        hidden: before - diagnostics.len(),
    };
    let rules = crate::rules::all();
    let report = Report {
        diagnostics: &diagnostics,
        summary,
        rules: &rules,
        root: repository_root(args),
    };
    out.with(|w| report::render(w, stdout_format(args), &report));
    if args.output != OutputFormat::Text {
        note_passed_over(&report.summary);
    }
    for file in &args.reports {
        write_file(&file.path, |w| {
            report::render(w, file_format(file.format), &report)
        })?;
    }
    Ok(if failing {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// A run that could not be done still leaves a valid SARIF or JUnit
/// report wherever one was asked for, so that an upload step after it
/// does not fail too.
pub fn on_failure(outcome: Outcome, command: &str, args: &ReportArgs, out: &mut Stdout) -> Outcome {
    let Err(error) = &outcome else {
        return outcome;
    };
    let reason = error.lines(command).join("\n");
    let log = sarif_failure(&reason, &crate::rules::all());
    let write = |w: &mut dyn Write| {
        serde_json::to_writer_pretty(&mut *w, &log)?;
        writeln!(w)
    };
    let write_junit = |w: &mut dyn Write| report::junit_failure(w, &reason);
    match args.output {
        OutputFormat::Sarif => out.with(write),
        OutputFormat::Junit => out.with(write_junit),
        // A report that still parses: no finding was made.
        OutputFormat::Json | OutputFormat::Yaml => out.write_str("[]\n"),
        _ => {}
    }
    for file in &args.reports {
        // The run has already failed; that error is the one to report.
        let _ = match file.format {
            OutputFormat::Sarif => write_file(&file.path, write),
            OutputFormat::Junit => write_file(&file.path, write_junit),
            _ => Ok(()),
        };
    }
    outcome
}

fn write_file(
    path: &str,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    let written = File::create(path).and_then(|file| {
        let mut writer = BufWriter::new(file);
        render(&mut writer)?;
        writer.flush()
    });
    written.map_err(|e| format!("--report {path}: cannot write it: {e}").into())
}

/// Machine formats keep stdout for the report: what the run passed over
/// goes to stderr.
fn note_passed_over(summary: &Summary) {
    if let Some(line) = report::not_checked_line(&summary.stats) {
        note(&line);
    }
    if summary.hidden > 0 {
        note(&format!(
            "{} finding(s) below --output-threshold not shown",
            summary.hidden
        ));
    }
    if summary.not_manifests > 0 {
        note(&format!(
            "{} file(s) skipped: not Kubernetes manifests",
            summary.not_manifests
        ));
    }
    if summary.not_regular > 0 {
        note(&format!(
            "{} file(s) skipped: not regular files (FIFOs, sockets, devices)",
            summary.not_regular
        ));
    }
}

/// `--sarif-root`, or the git top level above the working folder.
fn repository_root(args: &ReportArgs) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    if let Some(root) = &args.sarif_root {
        return Some(cwd.join(root));
    }
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

fn stdout_format(args: &ReportArgs) -> Format {
    match args.output {
        OutputFormat::Text => Format::Text(TextStyle {
            color: color_wanted(args.color),
            width: terminal_width(),
        }),
        other => file_format(other),
    }
}

/// A format for a file: text without colour, at the default width.
fn file_format(format: OutputFormat) -> Format {
    match format {
        OutputFormat::Text => Format::Text(TextStyle {
            color: false,
            width: DEFAULT_WIDTH,
        }),
        OutputFormat::Json => Format::Json,
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
        OutputFormat::Gitlab => Format::Gitlab,
        OutputFormat::Junit => Format::Junit,
    }
}

fn level_of(threshold: Threshold) -> Level {
    match threshold {
        Threshold::Error => Level::Error,
        Threshold::Warning => Level::Warning,
        Threshold::Info => Level::Info,
    }
}

fn fail_level(fail_on: FailOn) -> Level {
    match fail_on {
        FailOn::Error | FailOn::None => Level::Error,
        FailOn::Warning => Level::Warning,
        FailOn::Info => Level::Info,
    }
}

/// Whether the text report may use colour: only on a terminal that can
/// show it (not `TERM=dumb`), and never when NO_COLOR is set
/// (https://no-color.org).
pub(super) fn color_wanted(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto_color(
            io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
        ),
    }
}

/// `--color auto`'s decision from the terminal and the environment.
fn auto_color(terminal: bool, no_color: Option<&OsStr>, term: Option<&OsStr>) -> bool {
    terminal && no_color.is_none_or(OsStr::is_empty) && term.is_none_or(|t| t != "dumb")
}

const DEFAULT_WIDTH: usize = 100;

/// On a terminal: `COLUMNS` when set, else the terminal's width. Piped
/// output keeps a fixed width, so reports do not change with the window.
fn terminal_width() -> usize {
    if !io::stdout().is_terminal() {
        return DEFAULT_WIDTH;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| terminal_size::terminal_size().map(|(width, _)| usize::from(width.0)))
        .unwrap_or(DEFAULT_WIDTH)
}

#[cfg(test)]
mod color_tests {
    use super::*;

    #[test]
    fn auto_colours_only_a_terminal_that_can_show_it() {
        let os = |s| Some(OsStr::new(s));
        assert!(auto_color(true, None, os("xterm-256color")));
        assert!(auto_color(true, os(""), None));
        assert!(!auto_color(true, None, os("dumb")));
        assert!(!auto_color(true, os("1"), os("xterm")));
        assert!(!auto_color(false, None, os("xterm")));
    }
}
