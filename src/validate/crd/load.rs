//! Reading CRDs: every served version of every CustomResourceDefinition
//! (apiextensions.k8s.io/v1) in the files given.

use std::sync::Arc;

use serde_json::Value as Json;

use super::schema::SchemaNode;
use super::{CrdSet, CrdVersion};
use crate::loader::{
    InputError, InputSpec, Limits, LoadedFile, ProblemKind, collect_inputs, load_file,
};
use crate::model::de::from_node;
use crate::model::{Object, SchemaRules, read_file};

/// Reads the CRDs in `paths` (files or directories, walked like other
/// inputs). A path that cannot be read is an error; a document that is not
/// a CRD is ignored.
pub fn load_crds(
    paths: &[String],
    follow_symlinks: bool,
    limits: &Limits,
) -> Result<CrdSet, InputError> {
    let spec = InputSpec {
        paths: paths.to_vec(),
        follow_symlinks,
    };
    let mut set = CrdSet::default();
    for input in collect_inputs(&spec)? {
        let file = load_file(&input, limits)?;
        refuse_over_bounds(&file)?;
        for object in read_file(file, "default").objects {
            add_crd(&mut set, &object);
        }
    }
    Ok(set)
}

/// A CRD file over an input bound (`--max-file-bytes`, ...) would
/// otherwise be dropped without a word, and its kinds go unchecked.
fn refuse_over_bounds(file: &LoadedFile) -> Result<(), InputError> {
    let over = file
        .documents
        .iter()
        .flat_map(|d| &d.problems)
        .find(|p| p.kind == ProblemKind::LimitExceeded);
    match over {
        Some(problem) => Err(InputError {
            path: file.source.name.clone(),
            reason: format!(
                "line {}: {}",
                problem.pos.line,
                problem
                    .help
                    .as_ref()
                    .map_or(problem.message.clone(), |help| format!(
                        "{}; {help}",
                        problem.message
                    ))
            ),
        }),
        None => Ok(()),
    }
}

/// Adds the served versions of one object, if it is a CRD (a later CRD for
/// the same group, version and kind replaces an earlier one).
pub(super) fn add_crd(set: &mut CrdSet, object: &Object) {
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
        set.versions.insert(
            (group.to_string(), name.to_string(), kind.to_string()),
            Arc::new(CrdVersion {
                crd: object.name.clone(),
                root: SchemaNode::compile(schema, 0),
            }),
        );
    }
}
