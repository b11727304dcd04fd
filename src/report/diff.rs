//! `meshctl diff`'s reports: text (a heading per resource, then a unified
//! diff of its normal form, coloured on a terminal), `--stat` (a table of
//! changes by kind) and JSON (CLI.md's `{"changes": [...]}`).

use std::collections::BTreeMap;

use comfy_table::{Table, presets};
use serde_json::{Map, Value as Json, json};
use similar::TextDiff;

use super::to_yaml;
use crate::diff::{Change, ChangeKind, FieldChange};
use crate::normal::{Normal, Source};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Lines of context around each change in the unified diff.
const CONTEXT: usize = 3;

/// The text report: each changed resource with its heading, its route
/// moves and the unified diff of its normal form.
pub fn render_diff_text(changes: &[Change], color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for change in changes {
        out.push_str(&paint(BOLD, &heading(change)));
        out.push('\n');
        for moved in &change.diff.moves {
            out.push_str(&format!("  moved {} to {}\n", moved.from, moved.to));
        }
        let old = change.old.map(yaml_of).unwrap_or_default();
        let new = change.new.map(yaml_of).unwrap_or_default();
        let diff = TextDiff::from_lines(&old, &new);
        let mut unified = diff.unified_diff();
        unified.context_radius(CONTEXT).header(
            &side_label("old", change.old),
            &side_label("new", change.new),
        );
        for line in unified.to_string().lines() {
            let code = match line.as_bytes().first() {
                Some(b'+') => GREEN,
                Some(b'-') => RED,
                Some(b'@') => CYAN,
                _ => "",
            };
            out.push_str(&if code.is_empty() {
                line.to_string()
            } else {
                paint(code, line)
            });
            out.push('\n');
        }
        out.push('\n');
    }
    if !changes.is_empty() {
        out.push_str(&summary_line(changes));
        out.push('\n');
    }
    out
}

/// `modified VirtualService default/reviews (old.yaml:3 -> new.yaml:10)`.
fn heading(change: &Change) -> String {
    let place = |n: Option<&Normal>| n.and_then(|n| n.source.as_ref()).map(Source::reference);
    let places = match (place(change.old), place(change.new)) {
        (Some(a), Some(b)) => format!(" ({a} -> {b})"),
        (Some(a), None) => format!(" ({a})"),
        (None, Some(b)) => format!(" ({b})"),
        (None, None) => String::new(),
    };
    format!(
        "{} {}{places}",
        change.change.as_str(),
        change.identity().origin()
    )
}

fn side_label(side: &str, normal: Option<&Normal>) -> String {
    match normal.and_then(|n| n.source.as_ref()) {
        Some(source) => format!("{side} {}", source.reference()),
        None if normal.is_some() => side.to_string(),
        None => "/dev/null".to_string(),
    }
}

/// The normal form as compared (no source: a move is not a change).
fn yaml_of(normal: &Normal) -> String {
    let mut shown = Map::new();
    shown.insert("apiVersion".into(), json!(normal.api_version));
    shown.insert("kind".into(), json!(normal.identity.kind));
    if let Json::Object(content) = normal.content() {
        shown.extend(content);
    }
    to_yaml(&Json::Object(shown))
}

fn summary_line(changes: &[Change]) -> String {
    let count = |kind| changes.iter().filter(|c| c.change == kind).count();
    format!(
        "{} changed: {} added, {} removed, {} modified.",
        plural(changes.len(), "resource"),
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Modified)
    )
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `--stat`: one row per kind (added, removed, modified), then the total.
pub fn render_diff_stat(changes: &[Change]) -> String {
    let mut rows: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for change in changes {
        let row = rows.entry(&change.identity().kind).or_default();
        let column = match change.change {
            ChangeKind::Added => 0,
            ChangeKind::Removed => 1,
            ChangeKind::Modified => 2,
        };
        row[column] += 1;
    }
    let mut table = Table::new();
    table.load_style(presets::ASCII_MARKDOWN);
    table.set_header(["kind", "added", "removed", "modified"]);
    for (kind, [added, removed, modified]) in rows {
        table.add_row([
            kind.to_string(),
            added.to_string(),
            removed.to_string(),
            modified.to_string(),
        ]);
    }
    format!("{table}\n{}\n", summary_line(changes))
}

/// `-o json`: `{"changes": [...]}`, CLI.md's contract.
pub fn diff_json(changes: &[Change]) -> Json {
    json!({"changes": changes.iter().map(change_json).collect::<Vec<_>>()})
}

fn change_json(change: &Change) -> Json {
    let id = change.identity();
    let mut out = Map::new();
    out.insert("kind".into(), json!(id.kind));
    out.insert("group".into(), json!(id.group));
    if let Some(ns) = &id.namespace {
        out.insert("namespace".into(), json!(ns));
    }
    out.insert("name".into(), json!(id.name));
    out.insert("change".into(), json!(change.change.as_str()));
    for (side, normal) in [("old", change.old), ("new", change.new)] {
        if let Some(source) = normal.and_then(|n| n.source.as_ref()) {
            out.insert(
                side.into(),
                json!({"file": source.file, "document": source.document, "line": source.line}),
            );
        }
    }
    if change.change == ChangeKind::Modified {
        let fields: Vec<Json> = change.diff.fields.iter().map(field_json).collect();
        let moves: Vec<Json> = change
            .diff
            .moves
            .iter()
            .map(|m| json!({"from": m.from, "to": m.to}))
            .collect();
        out.insert("fields".into(), Json::Array(fields));
        out.insert("moves".into(), Json::Array(moves));
    }
    Json::Object(out)
}

/// A field absent on one side is `null` there: the normal form has no
/// null fields, so `null` means absent.
fn field_json(field: &FieldChange) -> Json {
    json!({"path": field.path, "old": field.old, "new": field.new})
}
