//! `--crd`: custom resources checked against the CRDs given, as the API
//! server would check them: the structural `openAPIV3Schema` (MSH2001) and
//! the CEL rules in `x-kubernetes-validations` (MSH2002). Objects whose
//! group, version and kind no loaded CRD serves are left alone.

mod cel;
pub mod crd_schema;
pub mod crd_validation_rule;
mod load;
mod schema;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value as Json;

pub use load::load_crds;
use schema::{SchemaNode, Walker};

use crate::model::de::from_node;
use crate::model::{Object, SchemaRules, split_api_version};
use crate::report::Diagnostic;

/// The served versions of the CRDs loaded, by (group, version, kind).
#[derive(Debug, Default)]
pub struct CrdSet {
    versions: HashMap<(String, String, String), Arc<CrdVersion>>,
}

#[derive(Debug)]
struct CrdVersion {
    /// The CRD's name, e.g. `virtualservices.networking.istio.io`.
    crd: String,
    root: SchemaNode,
}

impl CrdSet {
    /// How many group/version/kinds the set serves.
    pub fn len(&self) -> usize {
        self.versions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }

    /// Whether a CRD of the set serves the object's group, version and kind.
    pub fn serves(&self, object: &Object) -> bool {
        let (group, version) = split_api_version(&object.api_version);
        let key = (group.to_string(), version.to_string(), object.kind.clone());
        self.versions.contains_key(&key)
    }

    /// The findings of one object against its CRD, if one is loaded.
    pub fn check(&self, object: &Object) -> Vec<Diagnostic> {
        let (group, version) = split_api_version(&object.api_version);
        let key = (group.to_string(), version.to_string(), object.kind.clone());
        let Some(crd) = self.versions.get(&key) else {
            return Vec::new();
        };
        let Some(value) = from_node::<Json>(object.tree(), SchemaRules::none(), false).0 else {
            return Vec::new();
        };
        let mut walker = Walker {
            object,
            crd: &crd.crd,
            out: Vec::new(),
            schema_errors: 0,
            at_key: false,
            evaluator: Default::default(),
        };
        walker.check(&crd.root, &value, &mut String::new(), 0, false, true);
        walker.out
    }
}

#[cfg(test)]
mod tests;
