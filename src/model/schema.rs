//! JSON Schemas of the mesh kinds, generated from the Rust types by schemars.
//! `schemas/` in the repository holds their output; a test keeps it current.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::{Value as Json, json};

use super::kind::MeshKind;
use super::resource::Resource;

/// The schema of a resource whose spec is `S` (the registry instantiates it
/// for each kind).
pub(super) fn generate<S: JsonSchema + Default>() -> Schema {
    SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Resource<S>>()
}

/// The schema for one kind at one served version: `apiVersion` and `kind`
/// pinned, titled like Istio's own (`VirtualService networking.istio.io/v1`).
pub fn versioned_schema(kind: MeshKind, version: &str) -> Json {
    let api_version = format!("{}/{version}", kind.group());
    let mut schema = kind.schema().to_value();
    schema["title"] = json!(format!("{} {api_version}", kind.name()));
    schema["properties"]["apiVersion"] = json!({"type": "string", "enum": [api_version]});
    schema["properties"]["kind"] = json!({"type": "string", "enum": [kind.name()]});
    describe_optional_references(&mut schema);
    schema
}

/// An optional field is `anyOf: [{$ref: Struct}, {type: null}]` with the
/// field's description beside it; yaml-language-server's hover shows the
/// first description among the schemas that match, which is the struct's.
/// Giving the reference the field's own description makes hover explain the
/// field.
fn describe_optional_references(schema: &mut Json) {
    match schema {
        Json::Object(map) => {
            let description = map.get("description").cloned();
            if let (Some(description), Some(Json::Array(choices))) =
                (description, map.get_mut("anyOf"))
            {
                for choice in choices.iter_mut().filter(|c| c.get("$ref").is_some()) {
                    choice["description"] = description.clone();
                }
            }
            map.values_mut().for_each(describe_optional_references);
        }
        Json::Array(items) => items.iter_mut().for_each(describe_optional_references),
        _ => {}
    }
}

/// File name of a schema in `schemas/`: `virtualservice-networking.istio.io-v1.json`.
pub fn schema_file_name(kind: MeshKind, version: &str) -> String {
    format!(
        "{}-{}-{version}.json",
        kind.name().to_ascii_lowercase(),
        kind.group()
    )
}

/// Every kind at every served version, with its file name, in a fixed order.
pub fn all_schemas() -> Vec<(String, Json)> {
    let mut schemas: Vec<(String, Json)> = MeshKind::ALL
        .into_iter()
        .flat_map(|kind| {
            kind.versions()
                .iter()
                .map(move |v| (schema_file_name(kind, v), versioned_schema(kind, v)))
        })
        .collect();
    schemas.push((COMBINED_FILE_NAME.to_string(), combined_schema()));
    schemas
}

/// The schema for files that mix kinds: editors apply it to each document.
pub const COMBINED_FILE_NAME: &str = "meshctl-all.json";

/// Picks each document's schema by `apiVersion` and `kind` (by reference to
/// the per-kind files beside it); documents of other kinds pass untouched.
fn combined_schema() -> Json {
    let branches: Vec<Json> = MeshKind::ALL
        .into_iter()
        .flat_map(|kind| {
            kind.versions().iter().map(move |version| {
                json!({
                    "if": {
                        "properties": {
                            "apiVersion": {"const": format!("{}/{version}", kind.group())},
                            "kind": {"const": kind.name()},
                        },
                        "required": ["apiVersion", "kind"],
                    },
                    "then": {"$ref": schema_file_name(kind, version)},
                })
            })
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Mesh resources (Istio, Gateway API) of every kind meshctl checks",
        "type": "object",
        "allOf": branches,
    })
}

/// Pretty JSON with a final newline, as the committed files are written.
pub fn render(schema: &Json) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
