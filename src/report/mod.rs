//! Findings and how they are shown: the [`Diagnostic`] type and one
//! renderer per format (text, JSON, YAML, SARIF, GitHub workflow commands,
//! GitLab Code Quality, JUnit XML), all reading the one [`Report`]; and the
//! text report of a simulation.
//!
//! Invariants: renderers write only to the writer they are given and never
//! decide exit codes; the JSON renderer's output always parses as one array.

mod diagnostic;
mod diff;
mod fingerprint;
mod github;
mod gitlab;
mod json;
mod junit;
mod sarif;
mod simulate;
mod terminal;
mod text;
mod uri;
mod yaml;

use std::io::{self, Write};
use std::path::PathBuf;

pub use diagnostic::{Diagnostic, Example, Level, Location, Origin, Rule};
pub use diff::{diff_json, render_diff_stat, render_diff_text};
pub use json::{diagnostic_json, diagnostics_json};
pub use junit::render_failure as junit_failure;
pub use sarif::{sarif_failure, sarif_log};
pub use simulate::render_simulation;
pub use terminal::terminal_safe;
pub use text::{TextStyle, not_checked_line, render_text};
pub use yaml::to_yaml;

/// How many inputs a run looked at, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunStats {
    pub files: usize,
    pub resources: usize,
    /// Resources only parsed: kinds no rule of meshctl (nor a `--crd`)
    /// checks, by kind and apiVersion, in that order.
    pub not_checked: Vec<NotChecked>,
}

/// How many resources of one kind were only parsed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotChecked {
    pub kind: String,
    pub api_version: String,
    pub count: usize,
}

impl RunStats {
    /// Counts one resource that nothing checked.
    pub fn add_not_checked(&mut self, kind: &str, api_version: &str, count: usize) {
        let key =
            |n: &NotChecked| (n.kind.as_str(), n.api_version.as_str()).cmp(&(kind, api_version));
        match self.not_checked.binary_search_by(key) {
            Ok(i) => self.not_checked[i].count += count,
            Err(i) => self.not_checked.insert(
                i,
                NotChecked {
                    kind: kind.to_string(),
                    api_version: api_version.to_string(),
                    count,
                },
            ),
        }
    }
}

/// What the summary tells besides the findings: what was read, what a
/// directory walk passed over, and what `--output-threshold` hid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub stats: RunStats,
    /// Walked files with no Kubernetes manifest in them.
    pub not_manifests: usize,
    /// Walked paths that are not regular files (FIFOs, sockets, devices).
    pub not_regular: usize,
    /// Walked files with template markers.
    pub templates: usize,
    /// Findings below `--output-threshold`.
    pub hidden: usize,
}

/// One run's findings with what every format needs to show them.
#[derive(Debug)]
pub struct Report<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub summary: Summary,
    /// The rules the run knew (SARIF lists them all).
    pub rules: &'a [&'static Rule],
    /// The folder file paths are made relative to in the formats code
    /// hosts read (SARIF, GitHub, GitLab): the repository root. Paths
    /// are written as given when it is `None`.
    pub root: Option<PathBuf>,
}

/// The output formats of `validate`, `lint` and `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text(TextStyle),
    Json,
    Yaml,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

/// Writes a report in the chosen format.
pub fn render(out: &mut dyn Write, format: Format, report: &Report) -> io::Result<()> {
    match format {
        Format::Text(style) => render_text(out, report.diagnostics, &report.summary, style),
        Format::Json => write_json(out, &diagnostics_json(report.diagnostics)),
        Format::Yaml => out.write_all(to_yaml(&diagnostics_json(report.diagnostics)).as_bytes()),
        Format::Sarif => write_json(out, &sarif_log(report)),
        Format::Github => github::render(out, report),
        Format::Gitlab => write_json(out, &gitlab::code_quality(report)),
        Format::Junit => junit::render(out, report),
    }
}

fn write_json(out: &mut dyn Write, value: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// A finding in words for formats without snippets: the message, its
/// resource, the field at fault and the help line. Control characters from
/// the input are escaped as in the text report: these formats end up in CI
/// logs and code-review pages (and XML cannot carry most of them at all).
fn detailed_message(d: &Diagnostic) -> String {
    let mut text = match &d.origin {
        Some(origin) => format!("{} ({origin})", d.message),
        None => d.message.clone(),
    };
    if let Some(location) = d.location.as_ref().filter(|l| !l.path.is_empty()) {
        text.push_str(&format!("\nfield: {}", location.path));
    }
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    terminal_safe(&text).into_owned()
}
