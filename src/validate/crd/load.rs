//! Reading CRDs: every served version of every CustomResourceDefinition
//! (apiextensions.k8s.io/v1) in the files given.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value as Json;

use super::schema::SchemaNode;
use super::{CrdSet, CrdVersion};
use crate::loader::{
    Input, InputError, InputSpec, Limits, LoadedFile, Node, ProblemKind, Value, collect_inputs,
    load_file,
};
use crate::model::de::from_node;
use crate::model::{Object, SchemaRules, read_file};

/// Reads the CRDs in `paths` (files or directories, walked like other
/// inputs). A path that cannot be read, a file that does not parse or
/// holds no CRD, a schema the API server would refuse, and a kind two CRDs
/// define are errors (the command exits 2), never a silent pass; other
/// documents beside CRDs are ignored.
pub fn load_crds(
    paths: &[String],
    follow_symlinks: bool,
    limits: &Limits,
) -> Result<CrdSet, InputError> {
    let mut set = CrdSet::default();
    let mut defined_at = HashMap::new();
    for path in paths {
        let spec = InputSpec {
            paths: vec![path.clone()],
            follow_symlinks,
        };
        let inputs = collect_inputs(&spec)?;
        let mut found = 0;
        for input in inputs {
            found += load_crd_file(&input, limits, &mut set, &mut defined_at)?;
        }
        if found == 0 {
            // A folder may hold other manifests beside its CRDs, but not
            // only those.
            return Err(InputError {
                path: path.clone(),
                reason: "holds no CustomResourceDefinition (apiextensions.k8s.io/v1)".into(),
            });
        }
    }
    Ok(set)
}

/// Adds the CRDs of one file; returns how many it holds.
fn load_crd_file(
    input: &Input,
    limits: &Limits,
    set: &mut CrdSet,
    defined_at: &mut HashMap<(String, String, String), String>,
) -> Result<usize, InputError> {
    let file = load_file(input, limits)?;
    let name = file.source.name.clone();
    let refuse = |reason: String| InputError {
        path: name.clone(),
        reason,
    };
    refuse_load_problems(&file).map_err(refuse)?;
    let crds: Vec<Object> = read_file(file, "default")
        .objects
        .into_iter()
        .filter(is_crd)
        .collect();
    for crd in &crds {
        let line = crd.locate("").line;
        if let Some(problem) = crd.tree().get("spec").and_then(schema_problem) {
            return Err(refuse(format!("line {line}: CRD {}: {problem}", crd.name)));
        }
        for key in add_crd(set, crd) {
            let here = format!("{name}:{line}");
            if let Some(first) = defined_at.insert(key.clone(), here) {
                let (group, version, kind) = key;
                return Err(refuse(format!(
                    "line {line}: {kind} ({group}/{version}) is defined again; first at {first}"
                )));
            }
        }
    }
    Ok(crds.len())
}

fn is_crd(object: &Object) -> bool {
    object.kind == "CustomResourceDefinition" && object.api_version == "apiextensions.k8s.io/v1"
}

/// A CRD file that does not parse, or is over an input bound
/// (`--max-file-bytes`, ...), would otherwise be dropped without a word,
/// and its kinds go unchecked.
fn refuse_load_problems(file: &LoadedFile) -> Result<(), String> {
    let problem = file.documents.iter().flat_map(|d| &d.problems).next();
    match problem {
        Some(problem) => Err(format!(
            "line {}: {}",
            problem.pos.line,
            problem
                .help
                .as_ref()
                .filter(|_| problem.kind == ProblemKind::LimitExceeded)
                .map_or(problem.message.clone(), |help| format!(
                    "{}; {help}",
                    problem.message
                ))
        )),
        None => Ok(()),
    }
}

/// The first place in a CRD's version schemas that the API server refuses:
/// a `type` that is not one of OpenAPI's, a `pattern` that does not
/// compile, `properties` or `items` that are not schemas.
fn schema_problem(spec: &Node) -> Option<String> {
    let versions = spec.get("versions")?;
    let Value::Seq(versions) = &versions.value else {
        return None;
    };
    versions.iter().find_map(|version| {
        let schema = version.get("schema")?.get("openAPIV3Schema")?;
        let name = version.get_str("name").unwrap_or("?");
        invalid_schema(schema, "openAPIV3Schema")
            .map(|(path, why)| format!("version {name}: {path}: {why}"))
    })
}

fn invalid_schema(schema: &Node, path: &str) -> Option<(String, String)> {
    let Value::Map(entries) = &schema.value else {
        return Some((
            path.to_string(),
            format!("must be a schema (a mapping), found {}", schema.type_name()),
        ));
    };
    for entry in entries.iter() {
        let at = format!("{path}.{}", entry.key);
        let value = &entry.value;
        let wrong = match &*entry.key {
            "type" => match value.as_str() {
                Some("object" | "array" | "string" | "integer" | "number" | "boolean") => None,
                _ => Some(format!(
                    "must be one of object, array, string, integer, number, boolean; found {}",
                    value.value
                )),
            },
            "pattern" => match value.as_str() {
                Some(pattern) => regex::Regex::new(pattern)
                    .err()
                    .map(|_| format!("{} does not compile", crate::loader::quoted(pattern))),
                None => Some(format!("must be a string, found {}", value.type_name())),
            },
            "items" => return invalid_schema(value, &at),
            "properties" => match &value.value {
                Value::Map(properties) => {
                    if let Some(found) = properties
                        .iter()
                        .find_map(|p| invalid_schema(&p.value, &format!("{at}.{}", p.key)))
                    {
                        return Some(found);
                    }
                    None
                }
                _ => Some(format!(
                    "must be a mapping of schemas, found {}",
                    value.type_name()
                )),
            },
            _ => None,
        };
        if let Some(why) = wrong {
            return Some((at, why));
        }
    }
    None
}

/// Adds the served versions of one object, if it is a CRD (a later CRD for
/// the same group, version and kind replaces an earlier one); returns the
/// group, version and kind of each.
pub(super) fn add_crd(set: &mut CrdSet, object: &Object) -> Vec<(String, String, String)> {
    let mut added = Vec::new();
    add_versions(set, object, &mut added);
    added
}

fn add_versions(set: &mut CrdSet, object: &Object, added: &mut Vec<(String, String, String)>) {
    if object.kind != "CustomResourceDefinition" || object.api_version != "apiextensions.k8s.io/v1"
    {
        return;
    }
    let Some(spec) = object.tree().get("spec") else {
        return;
    };
    let Some(spec) = from_node::<Json>(spec, SchemaRules::none(), false).0 else {
        return;
    };
    let (Some(group), Some(kind)) = (
        spec.get("group").and_then(Json::as_str),
        spec.pointer("/names/kind").and_then(Json::as_str),
    ) else {
        return;
    };
    let Some(versions) = spec.get("versions").and_then(Json::as_array) else {
        return;
    };
    for version in versions {
        let Some(name) = version.get("name").and_then(Json::as_str) else {
            continue;
        };
        if version.get("served").and_then(Json::as_bool) == Some(false) {
            continue;
        }
        let Some(schema) = version.pointer("/schema/openAPIV3Schema") else {
            continue;
        };
        let key = (group.to_string(), name.to_string(), kind.to_string());
        added.push(key.clone());
        set.versions.insert(
            key,
            Arc::new(CrdVersion {
                crd: object.name.clone(),
                root: SchemaNode::compile(schema, 0),
            }),
        );
    }
}
