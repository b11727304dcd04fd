//! GitLab Code Quality: a JSON array of issues that merge requests show
//! beside the changed lines.

use serde_json::{Value as Json, json};

use super::fingerprint::fingerprint;
use super::uri::relative_uri;
use super::{Level, Report, detailed_message};

pub fn code_quality(report: &Report) -> Json {
    let issues = report.diagnostics.iter().map(|d| {
        let (path, line) = match &d.location {
            Some(l) => (
                relative_uri(&l.source.name, report.root.as_deref()),
                l.pos.line.max(1),
            ),
            // Code Quality needs a path; a finding about the run has none.
            None => (String::from("-"), 1),
        };
        json!({
            "description": detailed_message(d),
            "check_name": format!("{} {}", d.rule.code, d.rule.name),
            "fingerprint": fingerprint(d, &path),
            "severity": severity(d.level),
            "location": {"path": path, "lines": {"begin": line}},
        })
    });
    Json::Array(issues.collect())
}

/// Code Quality's scale is info, minor, major, critical, blocker.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "major",
        Level::Warning => "minor",
        Level::Info => "info",
    }
}
