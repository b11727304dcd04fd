//! Documents to typed resources.
//!
//! Invariants: reading never fails and never panics; every problem is a
//! [`FieldProblem`] (on an [`Object`]) or a [`DocumentProblem`] with a
//! position. The JSON Schema generated from these types is the single source
//! of the schema rules (required, one-of, bounds) the loader enforces, per
//! kind. Every kind is one entry of the registry in `kind.rs`.

pub mod de;
pub mod gateway_api;
pub mod istio;
mod kind;
pub mod kube;
pub mod meta;
pub mod names;
mod object;
pub mod protocol;
mod resource;
pub mod schema;
mod schema_rules;
mod string_map;

pub use de::{FieldProblem, FieldProblemKind};
pub(crate) use kind::mesh_kinds;
pub use kind::{
    ApiGroup, DiagnosticCodes, KindSpec, Lookup, Mesh, MeshKind, MeshSpec, is_cluster_scoped,
    lookup, split_api_version,
};
pub use meta::{LabelSelector, ObjectMeta};
pub use object::{
    Body, Document, DocumentProblem, DocumentProblemKind, FileModel, FilePlace, ListWrapper,
    Object, ObjectSource, read_document, read_file, read_tree,
};
pub use resource::Resource;
pub use schema_rules::SchemaRules;
pub use string_map::StringMap;
