//! Findings and how they are shown: the [`Diagnostic`] type and the text,
//! JSON, YAML and SARIF renderers.
//!
//! Invariants: renderers write only to the writer they are given and never
//! decide exit codes; the JSON renderer's output always parses as one array.

mod diagnostic;
mod json;
mod sarif;
mod text;
mod yaml;

use std::io::{self, Write};

pub use diagnostic::{Diagnostic, Example, Level, Location, Origin, Rule};
pub use json::{diagnostic_json, diagnostics_json};
pub use sarif::sarif_log;
pub use text::{TextStyle, render_text};
pub use yaml::to_yaml;

/// How many inputs a run looked at, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    pub files: usize,
    pub resources: usize,
}

/// The output formats of `validate`, `lint` and `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text(TextStyle),
    Json,
    Yaml,
    Sarif,
}

/// Writes a report in the chosen format. `rules` are the rules the run knew
/// (SARIF lists them all).
pub fn render(
    out: &mut dyn Write,
    format: Format,
    diagnostics: &[Diagnostic],
    stats: RunStats,
    rules: &[&'static Rule],
) -> io::Result<()> {
    match format {
        Format::Text(style) => render_text(out, diagnostics, stats, style),
        Format::Json => {
            let value = diagnostics_json(diagnostics);
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)
        }
        Format::Yaml => out.write_all(to_yaml(&diagnostics_json(diagnostics)).as_bytes()),
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif_log(diagnostics, rules))?;
            writeln!(out)
        }
    }
}
