//! meshctl's normal form of a resource: the one shape that `parse` prints
//! and `diff` compares. An envelope (API group and kind, the namespace after
//! `-n` defaulting, name, labels, annotations), the body in canonical form,
//! and where the resource was written.
//!
//! The body of a kind meshctl types is its typed spec as serialised (fields
//! in the API's order, `"10"` already read as the API reads it); other kinds
//! (Kubernetes' typed from their type) keep their fields with keys sorted. Both then go through [`canonical`]:
//! null and empty fields dropped, durations and quantities in one spelling,
//! lists whose order the API ignores sorted ([`lists`]). Two spellings of
//! the same resource (YAML or JSON, quoting, key order, `v1beta1` or `v1`)
//! have the same normal form.

mod canonical;
pub mod lists;
mod quantity;

pub use quantity::canonical as canonical_quantity;

use serde_json::{Map, Value as Json, json};

use crate::model::kube::full_json;
use crate::model::{Body, MeshSpec, Object, ObjectSource, mesh_kinds, split_api_version};
use canonical::{Canon, canonicalize};
pub use lists::{ListOrder, key_value, list_order};

/// What pairs a resource across two configurations: the API group (not the
/// version: Istio serves one schema at all of them), the kind, the
/// namespace after defaulting and the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    pub group: String,
    pub kind: String,
    /// `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    pub name: String,
}

impl Identity {
    pub fn of(object: &Object) -> Identity {
        let (group, _) = split_api_version(&object.api_version);
        Identity {
            group: group.to_string(),
            kind: object.kind.clone(),
            namespace: object.namespace.clone(),
            name: object.name.clone(),
        }
    }

    /// `Kind ns/name` (`Kind name` for a cluster-scoped kind), as findings
    /// name their origin.
    pub fn origin(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }
}

/// Where a resource was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub file: String,
    /// 0-based index of the document in its file.
    pub document: usize,
    /// The line the resource starts on.
    pub line: u32,
}

impl Source {
    /// `file:line`, as findings give a reference.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// A resource in normal form.
#[derive(Debug, Clone, PartialEq)]
pub struct Normal {
    pub identity: Identity,
    pub api_version: String,
    /// A kind meshctl types (its lists' order is known, see [`lists`]).
    pub typed: bool,
    /// `metadata` as compared: name, namespace, labels, annotations.
    pub metadata: Json,
    /// Every top-level field but `apiVersion`, `kind`, `metadata` and
    /// `status`, in canonical form (`spec` for the typed kinds).
    pub body: Map<String, Json>,
    /// `None` for an object that was not read from a file.
    pub source: Option<Source>,
}

impl Normal {
    /// Reads an object into its normal form.
    pub fn of(object: &Object) -> Normal {
        let canon = Canon {
            kind: &object.kind,
            typed: matches!(object.body, Body::Mesh(_)),
        };
        let body = match &object.body {
            Body::Mesh(spec) => {
                let mut body = Map::new();
                body.insert("spec".into(), spec_json(spec));
                body
            }
            // A Kubernetes kind meshctl types is read whole into its type
            // (the model keeps only what checks read); any other as it is.
            Body::Other => {
                let tree = object.tree();
                let typed = full_json(&object.api_version, &object.kind, tree);
                top_level_body(typed.unwrap_or_else(|| tree.to_json()))
            }
        };
        let Json::Object(body) = canonicalize(&canon, Json::Object(body)) else {
            unreachable!("a mapping stays a mapping")
        };
        Normal {
            identity: Identity::of(object),
            api_version: object.api_version.clone(),
            typed: canon.typed,
            metadata: metadata_json(object),
            body,
            source: source_of(object),
        }
    }

    /// The resource as compared: metadata and body, without apiVersion and
    /// source.
    pub fn content(&self) -> Json {
        let mut content = Map::new();
        content.insert("metadata".into(), self.metadata.clone());
        content.extend(self.body.clone());
        Json::Object(content)
    }

    /// The resource as `parse` prints it: apiVersion and kind, then the
    /// content, then its source when it has one.
    pub fn to_json(&self) -> Json {
        let mut out = Map::new();
        out.insert("apiVersion".into(), json!(self.api_version));
        out.insert("kind".into(), json!(self.identity.kind));
        out.insert("metadata".into(), self.metadata.clone());
        out.extend(self.body.clone());
        if let Some(source) = &self.source {
            out.insert(
                "source".into(),
                json!({"file": source.file, "document": source.document, "line": source.line}),
            );
        }
        Json::Object(out)
    }
}

/// name, namespace, labels and annotations, the parts of `metadata` that
/// are configuration (the rest is the API server's bookkeeping).
fn metadata_json(object: &Object) -> Json {
    let meta = object.metadata();
    let mut out = Map::new();
    out.insert("name".into(), json!(object.name));
    if let Some(ns) = &object.namespace {
        out.insert("namespace".into(), json!(ns));
    }
    for (key, map) in [("labels", &meta.labels), ("annotations", &meta.annotations)] {
        if let Some(map) = map.as_ref().filter(|m| !m.is_empty()) {
            out.insert(key.into(), json!(map));
        }
    }
    Json::Object(out)
}

fn source_of(object: &Object) -> Option<Source> {
    let ObjectSource::File(place) = &object.source else {
        return None;
    };
    // A List's item starts at its own line, not at the List's.
    let line = match place.item {
        Some(_) => object.tree().pos.line,
        None => place.line,
    };
    Some(Source {
        file: place.file.name.clone(),
        document: place.document,
        line,
    })
}

/// The top-level fields of a resource that make its body: all but the
/// envelope and the status.
fn top_level_body(resource: Json) -> Map<String, Json> {
    let Json::Object(mut fields) = resource else {
        return Map::new();
    };
    fields.retain(|key, _| !matches!(key.as_str(), "apiVersion" | "kind" | "metadata" | "status"));
    fields
}

/// What [`mesh_kinds!`] generates here: a typed spec as JSON, in its
/// serialised (the API's) field order.
macro_rules! spec_to_json {
    ($($kind:ident $(as $name:literal)? ($module:ident::$spec:ident) $group:ident [$($version:literal),+] $iterator:ident;)+) => {
        fn spec_json(spec: &MeshSpec) -> Json {
            let serialised = match spec {
                $(MeshSpec::$kind(spec) => serde_json::to_value(spec),)+
            };
            // The specs are plain data (string keys, finite numbers).
            serialised.unwrap_or(Json::Null)
        }
    };
}

mesh_kinds!(spec_to_json);
