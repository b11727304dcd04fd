//! The JSON form of findings: a superset of `istioctl analyze -o json`.

use serde_json::{Map, Value as Json, json};

use super::Diagnostic;

pub fn diagnostics_json(diagnostics: &[Diagnostic]) -> Json {
    Json::Array(diagnostics.iter().map(diagnostic_json).collect())
}

pub fn diagnostic_json(d: &Diagnostic) -> Json {
    let mut object = Map::new();
    object.insert("code".into(), json!(d.rule.code));
    object.insert("level".into(), json!(d.level.as_str()));
    object.insert("message".into(), json!(d.message));
    // Keys that do not apply are left out, as istioctl leaves them out.
    if let Some(origin) = &d.origin {
        object.insert("origin".into(), json!(origin.to_string()));
    }
    if let Some(reference) = d.reference() {
        object.insert("reference".into(), json!(reference));
    }
    object.insert("documentationUrl".into(), json!(d.rule.documentation_url()));
    if let Some(location) = &d.location {
        object.insert("file".into(), json!(location.source.name));
        object.insert("line".into(), json!(location.pos.line));
        object.insert("column".into(), json!(location.pos.column));
        object.insert("path".into(), json!(location.path));
    }
    if let Some(help) = &d.help {
        object.insert("help".into(), json!(help));
    }
    Json::Object(object)
}
