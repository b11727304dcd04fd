//! `meshctl diff`'s reports: text (a heading per resource, then a unified
//! diff of its normal form, coloured on a terminal), `--stat` (a table of
//! changes by kind) and JSON (CLI.md's `{"changes": [...]}`).

use std::collections::BTreeMap;

use comfy_table::{Table, presets};
use serde_json::{Map, Value as Json, json};
use similar::TextDiff;

use super::{terminal_safe, to_yaml};
use crate::diff::traffic::TrafficChange;
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
pub fn render_diff_text(
    changes: &[Change],
    traffic: Option<&[TrafficChange]>,
    color: bool,
) -> String {
    // Names and values come from the input: escaped before colour is added.
    let paint = |code: &str, text: &str| {
        let text = terminal_safe(text);
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
            let line = format!("  moved {} to {}\n", moved.from, moved.to);
            out.push_str(&terminal_safe(&line));
        }
        let old = change.old.as_ref().map(yaml_of).unwrap_or_default();
        let new = change.new.as_ref().map(yaml_of).unwrap_or_default();
        let diff = TextDiff::from_lines(&old, &new);
        let mut unified = diff.unified_diff();
        unified.context_radius(CONTEXT).header(
            &side_label("old", change.old.as_ref()),
            &side_label("new", change.new.as_ref()),
        );
        for line in unified.to_string().lines() {
            let code = match line.as_bytes().first() {
                Some(b'+') => GREEN,
                Some(b'-') => RED,
                Some(b'@') => CYAN,
                _ => "",
            };
            out.push_str(&if code.is_empty() {
                terminal_safe(line).into_owned()
            } else {
                paint(code, line)
            });
            out.push('\n');
        }
        out.push('\n');
    }
    for change in traffic.unwrap_or_default() {
        out.push_str(&paint(BOLD, &traffic_heading(change)));
        out.push('\n');
        for field in &change.changed {
            let side = |outcome, pods| outcome_text(outcome, field, pods);
            // The pods a destination reaches are shown when they are
            // what changed (a subset's labels).
            let pods = side(&change.before, false) == side(&change.after, false);
            let line = format!(
                "  {field}: {} -> {}\n",
                side(&change.before, pods),
                side(&change.after, pods)
            );
            out.push_str(&terminal_safe(&line));
        }
        out.push('\n');
    }
    if !changes.is_empty() || traffic.is_some_and(|t| !t.is_empty()) {
        out.push_str(&summary_line(changes, traffic));
        out.push('\n');
    }
    out
}

/// `traffic reviews.shop.svc.cluster.local:9080 (mesh): header end-user=jason`.
fn traffic_heading(change: &TrafficChange) -> String {
    let class = &change.class;
    let through = class.gateway.as_deref().unwrap_or("mesh");
    format!(
        "traffic {}:{} ({through}): {}",
        class.host,
        class.port,
        class.describe()
    )
}

/// One outcome field in words: destinations as `host/subset weight%`, an
/// authorization as its decision and the policy and rule that made it,
/// anything else as compact JSON.
fn outcome_text(outcome: &Json, field: &str, with_workloads: bool) -> String {
    let value = outcome.get(field).unwrap_or(&Json::Null);
    match field {
        "destinations" => destinations_text(value, with_workloads),
        "authorization" => match value.get("decision").and_then(Json::as_str) {
            Some(decision) => match (
                value.get("policy").and_then(Json::as_str),
                value.get("ruleIndex").and_then(Json::as_u64),
            ) {
                (Some(policy), Some(rule)) => format!("{decision} ({policy} rule {rule})"),
                (Some(policy), None) => format!("{decision} ({policy})"),
                _ => decision.to_string(),
            },
            None => "none".into(),
        },
        _ => value.to_string(),
    }
}

fn destinations_text(value: &Json, with_workloads: bool) -> String {
    let Json::Array(items) = value else {
        return value.to_string();
    };
    if items.is_empty() {
        return "none".into();
    }
    let shown: Vec<String> = items
        .iter()
        .map(|d| destination_text(d, with_workloads))
        .collect();
    shown.join(", ")
}

/// `reviews.shop/v2 10%`: a Service host without its `.svc.<domain>`.
fn destination_text(destination: &Json, with_workloads: bool) -> String {
    let text = |key| destination.get(key).and_then(Json::as_str);
    let host = text("host").unwrap_or_default();
    let mut out = host.split(".svc.").next().unwrap_or(host).to_string();
    if let Some(subset) = text("subset") {
        out.push('/');
        out.push_str(subset);
    }
    if let Some(weight) = destination.get("weight").and_then(Json::as_u64) {
        out.push_str(&format!(" {weight}%"));
    }
    if let Some(Json::Array(pods)) = destination.get("workloads").filter(|_| with_workloads) {
        let pods: Vec<&str> = pods.iter().filter_map(Json::as_str).collect();
        out.push_str(&format!(" [{}]", pods.join(", ")));
    }
    out
}

/// `modified VirtualService default/reviews (old.yaml:3 -> new.yaml:10)`.
fn heading(change: &Change) -> String {
    let place = |n: Option<&Normal>| n.and_then(|n| n.source.as_ref()).map(Source::reference);
    let places = match (place(change.old.as_ref()), place(change.new.as_ref())) {
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

fn summary_line(changes: &[Change], traffic: Option<&[TrafficChange]>) -> String {
    let count = |kind| changes.iter().filter(|c| c.change == kind).count();
    let resources = format!(
        "{} changed: {} added, {} removed, {} modified",
        plural(changes.len(), "resource"),
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Modified)
    );
    match traffic {
        Some(traffic) => format!(
            "{resources}; {} with another outcome.",
            plural(traffic.len(), "request class")
        ),
        None => format!("{resources}."),
    }
}

fn plural(count: usize, noun: &str) -> String {
    match (count, noun.ends_with('s')) {
        (1, _) => format!("1 {noun}"),
        (_, true) => format!("{count} {noun}es"),
        (_, false) => format!("{count} {noun}s"),
    }
}

/// `--stat`: one row per kind (added, removed, modified), then the total.
pub fn render_diff_stat(changes: &[Change], traffic: Option<&[TrafficChange]>) -> String {
    if changes.is_empty() && traffic.is_none_or(<[_]>::is_empty) {
        return String::new(); // as diff(1), nothing to say when nothing changed
    }
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
    format!("{table}\n{}\n", summary_line(changes, traffic))
}

/// `-o json`: `{"changes": [...]}`, CLI.md's contract, with `"traffic"`
/// when it was asked for.
pub fn diff_json(changes: &[Change], traffic: Option<&[TrafficChange]>) -> Json {
    let mut out = Map::new();
    out.insert(
        "changes".into(),
        changes.iter().map(change_json).collect::<Vec<_>>().into(),
    );
    if let Some(traffic) = traffic {
        out.insert(
            "traffic".into(),
            traffic.iter().map(traffic_json).collect::<Vec<_>>().into(),
        );
    }
    Json::Object(out)
}

/// `{host, port, gateway, request, changed, before, after}`: `request`
/// states the class as simulate's flags do, `before`/`after` carry
/// simulate's JSON fields.
fn traffic_json(change: &TrafficChange) -> Json {
    let class = &change.class;
    json!({
        "host": class.host,
        "port": class.port,
        "gateway": class.gateway,
        "request": class.to_json(),
        "changed": change.changed,
        "before": change.before,
        "after": change.after,
    })
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
    for (side, normal) in [("old", change.old.as_ref()), ("new", change.new.as_ref())] {
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
