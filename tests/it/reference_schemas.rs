//! Cross-checks the generated schemas against Istio's published CRD schemas
//! and the Gateway API's CRDs in ../shared/reference (skipped without it,
//! see [`shared`]): the same fields at every level, the same required fields
//! and the same enum values; for the Gateway API also the same bounds,
//! patterns and list keys, which its structural schema enforces.
//! This is what "complete to the API" means, checked.

use std::collections::BTreeSet;
use std::path::Path;

use meshctl::model::schema::versioned_schema;
use meshctl::model::{Mesh, MeshKind};
use serde_json::Value as Json;

use crate::common::shared;

fn reference(reference_dir: &Path, kind: MeshKind, version: &str) -> Json {
    let group = kind.group().split('.').next().unwrap();
    let file = reference_dir.join(format!(
        "{}-{group}-{version}.json",
        kind.name().to_ascii_lowercase()
    ));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap()
}

/// Follows `$ref` and unwraps `anyOf: [X, {type: null}]` (schemars' Option).
fn resolve<'a>(root: &'a Json, mut schema: &'a Json) -> &'a Json {
    loop {
        if let Some(reference) = schema.get("$ref").and_then(Json::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            schema = &root["$defs"][name];
        } else if let Some(any) = schema.get("anyOf").and_then(Json::as_array) {
            match any
                .iter()
                .find(|s| s.get("type") != Some(&Json::from("null")))
            {
                Some(inner) if any.len() == 2 => schema = inner,
                _ => return schema,
            }
        } else {
            return schema;
        }
    }
}

fn keys(schema: &Json, field: &str) -> BTreeSet<String> {
    match schema.get(field) {
        Some(Json::Object(map)) => map.keys().cloned().collect(),
        Some(Json::Array(items)) => items.iter().map(|v| v.to_string()).collect(),
        _ => BTreeSet::new(),
    }
}

fn type_of(schema: &Json) -> Option<String> {
    match schema.get("type")? {
        Json::String(t) => Some(t.clone()),
        Json::Array(types) => types
            .iter()
            .filter_map(Json::as_str)
            .find(|t| *t != "null")
            .map(String::from),
        _ => None,
    }
}

/// The bounds a structural schema enforces, compared for the Gateway API
/// (numbers as numbers: schemars may write `1.0` where a CRD writes `1`).
const BOUNDS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "maxProperties",
    "pattern",
    "x-kubernetes-list-map-keys",
];

fn bound(schema: &Json, key: &str) -> Option<Json> {
    let value = schema.get(key)?;
    Some(
        value
            .as_f64()
            .map(Json::from)
            .unwrap_or_else(|| value.clone()),
    )
}

fn compare_bounds(path: &str, ours: &Json, theirs: &Json, problems: &mut Vec<String>) {
    // A set is written `uniqueItems` in our schema.
    let set = theirs.get("x-kubernetes-list-type") == Some(&Json::from("set"));
    if set != (ours.get("uniqueItems") == Some(&Json::from(true))) {
        problems.push(format!("{path}: list-type set differs"));
    }
    for key in BOUNDS {
        if bound(ours, key) != bound(theirs, key) {
            problems.push(format!(
                "{path}: {key} {:?} vs the CRD's {:?}",
                bound(ours, key),
                bound(theirs, key)
            ));
        }
    }
}

fn compare(path: &str, ours_root: &Json, ours: &Json, theirs: &Json, problems: &mut Vec<String>) {
    let ours = resolve(ours_root, ours);
    if path.starts_with("gateway-api ") {
        compare_bounds(path, ours, theirs, problems);
    }
    if type_of(ours) != type_of(theirs) {
        problems.push(format!(
            "{path}: type {:?} vs the reference's {:?}",
            type_of(ours),
            type_of(theirs)
        ));
        return;
    }
    for field in ["required", "enum"] {
        if keys(ours, field) != keys(theirs, field) {
            problems.push(format!(
                "{path}: {field} {:?} vs the reference's {:?}",
                keys(ours, field),
                keys(theirs, field)
            ));
        }
    }
    if let Some(their_items) = theirs.get("items") {
        compare(
            &format!("{path}[]"),
            ours_root,
            &ours["items"],
            their_items,
            problems,
        );
    }
    if let Some(their_values) = theirs.get("additionalProperties").filter(|v| v.is_object()) {
        compare(
            &format!("{path}{{}}"),
            ours_root,
            &ours["additionalProperties"],
            their_values,
            problems,
        );
    }
    // Fields of the Gateway API's experimental channel are not in the
    // standard-channel CRDs of the reference.
    let experimental = |field: &String| {
        ours["properties"][field].get("x-meshctl-channel") == Some(&Json::from("experimental"))
    };
    let our_fields: BTreeSet<String> = keys(ours, "properties")
        .into_iter()
        .filter(|f| !experimental(f))
        .collect();
    let their_fields = keys(theirs, "properties");
    if our_fields != their_fields {
        problems.push(format!(
            "{path}: fields only in meshctl {:?}, only in the reference {:?}",
            our_fields.difference(&their_fields).collect::<Vec<_>>(),
            their_fields.difference(&our_fields).collect::<Vec<_>>()
        ));
    }
    for field in our_fields.intersection(&their_fields) {
        compare(
            &format!("{path}.{field}"),
            ours_root,
            &ours["properties"][field],
            &theirs["properties"][field],
            problems,
        );
    }
}

#[test]
fn every_spec_matches_istios_published_schema() {
    let Some(reference_dir) = shared("reference/istio-jsonschema") else {
        return;
    };
    let mut problems = Vec::new();
    for kind in MeshKind::ALL
        .into_iter()
        .filter(|k| k.mesh() == Mesh::Istio)
    {
        for version in kind.versions() {
            let ours = versioned_schema(kind, version);
            let theirs = reference(&reference_dir, kind, version);
            let path = format!("{kind} {version} spec");
            compare(
                &path,
                &ours,
                &ours["properties"]["spec"],
                &theirs["properties"]["spec"],
                &mut problems,
            );
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The schema a Gateway API CRD serves at `version`, or `None` when it does
/// not serve it.
fn crd_schema(crd: &Json, version: &str) -> Option<Json> {
    crd["spec"]["versions"]
        .as_array()?
        .iter()
        .find(|v| v["name"] == version && v["served"] == true)
        .map(|v| v["schema"]["openAPIV3Schema"].clone())
}

#[test]
fn every_gateway_api_spec_matches_its_crd() {
    let Some(reference_dir) = shared("reference/gateway-api") else {
        return;
    };
    let mut crds = Vec::new();
    for entry in std::fs::read_dir(&reference_dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        crds.push(serde_saphyr::from_str::<Json>(&text).unwrap());
    }
    let mut problems = Vec::new();
    for kind in MeshKind::ALL
        .into_iter()
        .filter(|k| k.mesh() == Mesh::GatewayApi)
    {
        let crd = crds
            .iter()
            .find(|c| c["spec"]["names"]["kind"] == kind.name())
            .unwrap_or_else(|| panic!("no CRD for {kind}"));
        let served: Vec<&str> = crd["spec"]["versions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["served"] == true)
            .filter_map(|v| v["name"].as_str())
            .collect();
        assert_eq!(kind.versions(), served, "{kind}: served versions");
        for version in kind.versions() {
            let ours = versioned_schema(kind, version);
            let theirs = crd_schema(crd, version).unwrap();
            compare(
                &format!("gateway-api {kind} {version} spec"),
                &ours,
                &ours["properties"]["spec"],
                &theirs["properties"]["spec"],
                &mut problems,
            );
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
