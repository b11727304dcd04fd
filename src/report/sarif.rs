//! SARIF 2.1.0, as GitHub code scanning reads it: file URIs relative to
//! the repository root, fingerprints that survive lines moving, rule help,
//! and a valid log even when the run could not be done.

use serde_json::{Value as Json, json};

use super::fingerprint::fingerprint;
use super::uri::relative_uri;
use super::{Diagnostic, Level, Report, Rule, detailed_message};

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base id of the repository root in `originalUriBaseIds`.
const ROOT_ID: &str = "SRCROOT";

/// Kinds whose findings weaken access control or transport security:
/// their rules get a `security-severity`, which code scanning ranks.
const SECURITY_KINDS: [&str; 3] = [
    "AuthorizationPolicy",
    "PeerAuthentication",
    "RequestAuthentication",
];

pub fn sarif_log(report: &Report) -> Json {
    let results: Vec<Json> = report
        .diagnostics
        .iter()
        .map(|d| result(d, report))
        .collect();
    let mut run = json!({
        "tool": tool(report.rules),
        "invocations": [{"executionSuccessful": true}],
        "results": results,
    });
    if let Some(root) = &report.root {
        let uri = format!(
            "file://{}/",
            percent_encoded(root.display().to_string().trim_end_matches('/'))
        );
        run["originalUriBaseIds"] = json!({ROOT_ID: {"uri": uri}});
    }
    log(run)
}

/// The log of a run that could not be done (exit 2): no results, and the
/// reason as a tool notification, so an upload step still has valid SARIF.
pub fn sarif_failure(reason: &str, rules: &[&'static Rule]) -> Json {
    log(json!({
        "tool": tool(rules),
        "invocations": [{
            "executionSuccessful": false,
            "toolExecutionNotifications": [{"level": "error", "message": {"text": reason}}],
        }],
        "results": [],
    }))
}

fn log(run: Json) -> Json {
    json!({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]})
}

fn tool(rules: &[&'static Rule]) -> Json {
    json!({"driver": {
        "name": "meshctl",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://github.com/meshctl/meshctl",
        "rules": rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
    }})
}

fn result(d: &Diagnostic, report: &Report) -> Json {
    let mut result = json!({
        "ruleId": rule_id(d.rule),
        "level": d.level.sarif(),
        "message": {"text": detailed_message(d)},
    });
    if let Some(index) = report.rules.iter().position(|r| r.name == d.rule.name) {
        result["ruleIndex"] = json!(index);
    }
    let uri = d
        .location
        .as_ref()
        .map(|l| relative_uri(&l.source.name, report.root.as_deref()))
        .unwrap_or_default();
    result["partialFingerprints"] = json!({"meshctl/v1": fingerprint(d, &uri)});
    if let Some(location) = location(d, &uri, report.root.is_some()) {
        result["locations"] = json!([location]);
    }
    result
}

/// SARIF wants one id per rule; istioctl's codes are shared by several
/// rules (every webhook rejection is IST0106), so the id adds the name.
fn rule_id(rule: &Rule) -> String {
    format!("{}/{}", rule.code, rule.name)
}

fn rule_descriptor(rule: &Rule) -> Json {
    let security = rule.kinds.iter().any(|k| SECURITY_KINDS.contains(k));
    let mut tags = vec!["kubernetes", "service-mesh"];
    if security {
        tags.push("security");
    }
    let mut properties = json!({"tags": tags});
    if security {
        properties["security-severity"] = json!(security_severity(rule.level));
    }
    json!({
        "id": rule_id(rule),
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {
            "text": format!("{}\n\n{}", rule.summary, rule.explanation),
            "markdown": format!("**{} {}**: {}\n\n{}\n\n[Documentation]({})",
                rule.code, rule.name, rule.summary, rule.explanation, rule.documentation_url()),
        },
        "helpUri": rule.documentation_url(),
        "defaultConfiguration": {"level": rule.level.sarif()},
        "properties": properties,
    })
}

/// Code scanning's scale: 7.0 and above is high, 4.0 medium, below low.
fn security_severity(level: Level) -> &'static str {
    match level {
        Level::Error => "7.5",
        Level::Warning => "5.0",
        Level::Info => "2.0",
    }
}

/// A path as a URI reference: every byte but RFC 3986's unreserved
/// characters and the `/` between segments percent-encoded, so that a
/// space, `#`, `?` or `%` in a file name cannot end or change the URI.
fn percent_encoded(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn location(d: &Diagnostic, uri: &str, has_root: bool) -> Option<Json> {
    let location = d.location.as_ref()?;
    let artifact = if location.source.name == "-" {
        // Standard input is no file of the repository: named, not located.
        json!({"uri": "stdin", "description": {"text": "standard input"}})
    } else if uri.starts_with('/') {
        json!({"uri": format!("file://{}", percent_encoded(uri))})
    } else if has_root {
        json!({"uri": percent_encoded(uri), "uriBaseId": ROOT_ID})
    } else {
        json!({"uri": percent_encoded(uri)})
    };
    let mut json = json!({
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {"startLine": location.pos.line.max(1), "startColumn": location.pos.column.max(1)},
        }
    });
    if let Some(origin) = &d.origin {
        json["logicalLocations"] =
            json!([{"fullyQualifiedName": origin.to_string(), "kind": "resource"}]);
    }
    Some(json)
}
