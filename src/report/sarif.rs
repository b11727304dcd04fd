//! SARIF 2.1.0, as GitHub code scanning reads it.

use serde_json::{Value as Json, json};

use super::{Diagnostic, Rule};

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn sarif_log(diagnostics: &[Diagnostic], rules: &[&'static Rule]) -> Json {
    let rule_index = |rule: &Rule| rules.iter().position(|r| r.name == rule.name);
    let results: Vec<Json> = diagnostics
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": rule_id(d.rule),
                "level": d.level.sarif(),
                "message": {"text": message_text(d)},
            });
            if let Some(index) = rule_index(d.rule) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(location) = location(d) {
                result["locations"] = json!([location]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "meshctl",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/meshctl/meshctl",
                "rules": rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
            }},
            "results": results,
        }],
    })
}

/// SARIF wants one id per rule; istioctl's codes are shared by several
/// rules (every webhook rejection is IST0106), so the id adds the name.
fn rule_id(rule: &Rule) -> String {
    format!("{}/{}", rule.code, rule.name)
}

fn message_text(d: &Diagnostic) -> String {
    match &d.origin {
        Some(origin) => format!("{} ({origin})", d.message),
        None => d.message.clone(),
    }
}

fn rule_descriptor(rule: &Rule) -> Json {
    json!({
        "id": rule_id(rule),
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "helpUri": rule.documentation_url(),
        "defaultConfiguration": {"level": rule.level.sarif()},
    })
}

fn location(d: &Diagnostic) -> Option<Json> {
    let location = d.location.as_ref()?;
    let uri = location.source.name.trim_start_matches("./");
    let mut json = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": {"startLine": location.pos.line.max(1), "startColumn": location.pos.column.max(1)},
        }
    });
    if let Some(origin) = &d.origin {
        json["logicalLocations"] =
            json!([{"fullyQualifiedName": origin.to_string(), "kind": "resource"}]);
    }
    Some(json)
}
