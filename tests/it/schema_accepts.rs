//! The committed JSON Schemas, run through a JSON Schema validator, accept
//! every mesh resource in the good fixtures and refuse the schema-level
//! mistakes of the broken ones: the schemas and the loader agree.

use std::path::Path;

use meshctl::loader::{Input, InputSpec, Limits, collect_inputs, load_file};
use meshctl::model::de::from_node;
use meshctl::model::schema::schema_file_name;
use meshctl::model::{SchemaRules, read_file, split_api_version};
use serde_json::Value as Json;

/// Every mesh resource under `dir` as (label, schema file, JSON).
fn mesh_documents(dir: &str) -> Vec<(String, String, Json)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = InputSpec {
        paths: vec![root.join(dir).display().to_string()],
        follow_symlinks: false,
    };
    let inputs: Vec<Input> = collect_inputs(&spec).unwrap();
    let mut documents = Vec::new();
    for input in &inputs {
        let model = read_file(load_file(input, &Limits::default()).unwrap(), "default");
        for object in &model.objects {
            let Some(kind) = object.mesh_kind() else {
                continue;
            };
            let version = split_api_version(&object.api_version).1;
            let (json, _) = from_node::<Json>(object.tree(), SchemaRules::none(), false);
            let label = format!("{} {} {}", input.display_name(), object.kind, object.name);
            documents.push((label, schema_file_name(kind, version), json.unwrap()));
        }
    }
    documents
}

fn schema_errors(schema_file: &str, document: &Json) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(schema_file);
    let schema: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn good_fixtures_pass_the_committed_schemas() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for scenario in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios")).unwrap()
    {
        let good = scenario.unwrap().path().join("good.yaml");
        if !good.exists() {
            continue;
        }
        let relative = good
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display()
            .to_string();
        for (label, schema, json) in mesh_documents(&relative) {
            checked += 1;
            for error in schema_errors(&schema, &json) {
                failures.push(format!("{label}: {error}"));
            }
        }
    }
    assert!(checked >= 10, "only {checked} mesh resources checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn schema_level_mistakes_fail_the_committed_schemas() {
    for file in [
        "testdata/scenarios/canary-90-10/broken-weigth-typo.yaml",
        "testdata/scenarios/canary-90-10/broken-weight-string.yaml",
        "testdata/scenarios/circuit-breaker/broken-lb-enum.yaml",
        "testdata/scenarios/strict-mtls/broken-mode-enum.yaml",
        "testdata/scenarios/ingress-gateway/broken-server-without-port.yaml",
        "testdata/scenarios/reviews-header-routing/broken-missing-destination-host.yaml",
    ] {
        let refused = mesh_documents(file)
            .iter()
            .any(|(_, schema, json)| !schema_errors(schema, json).is_empty());
        assert!(refused, "{file} passed the schema");
    }
}

/// Reads `file:///schemas/NAME` from the committed schemas/ folder, as an
/// editor resolves the combined schema's references to the files beside it.
struct SchemasFolder;

impl jsonschema::Retrieve for SchemasFolder {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Json, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().trim_start_matches("/schemas/");
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name);
        Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
    }
}

#[test]
fn the_combined_schema_checks_each_document_by_its_kind() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/meshctl-all.json");
    let schema: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_base_uri("file:///schemas/meshctl-all.json")
        .with_retriever(SchemasFolder)
        .build(&schema)
        .unwrap();
    let documents = mesh_documents("testdata/scenarios/canary-90-10/good.yaml");
    assert!(!documents.is_empty());
    for (label, _, document) in &documents {
        let errors: Vec<String> = validator
            .iter_errors(document)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{label}: {errors:?}");
    }
    let mut typo = documents[0].2.clone();
    typo["spec"]["hostz"] = serde_json::json!(["x"]);
    assert!(!validator.is_valid(&typo), "an unknown field is refused");
    let config_map =
        serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}});
    assert!(validator.is_valid(&config_map), "other kinds pass");
}
