//! Object metadata and label selectors as meshctl keeps them.
//!
//! Metadata is read (and refused when Kubernetes would refuse it) through
//! k8s-openapi's types, then kept in these: the fields checks read, with
//! labels and annotations in [`StringMap`]s. A run keeps the metadata of
//! every object, and k8s-openapi's `ObjectMeta` with its `BTreeMap`s costs
//! several times as much. Field names are k8s-openapi's, so reading one
//! reads the same.

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;

use super::StringMap;

pub use meta::{LabelSelectorRequirement, Time};

/// `metadata` of an object or pod template. The name and namespace are the
/// `Object`'s own (`Object::name`, `Object::namespace`), not kept twice.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectMeta {
    pub labels: Option<StringMap>,
    pub annotations: Option<StringMap>,
    /// Orders objects as Istio does when two claim the same thing.
    pub creation_timestamp: Option<Time>,
}

impl From<meta::ObjectMeta> for ObjectMeta {
    fn from(whole: meta::ObjectMeta) -> Self {
        ObjectMeta {
            labels: whole.labels.map(StringMap::from),
            annotations: whole.annotations.map(StringMap::from),
            creation_timestamp: whole.creation_timestamp,
        }
    }
}

/// A Kubernetes label selector (`matchLabels` and `matchExpressions`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelector {
    pub match_labels: Option<StringMap>,
    pub match_expressions: Option<Vec<LabelSelectorRequirement>>,
}

impl From<meta::LabelSelector> for LabelSelector {
    fn from(whole: meta::LabelSelector) -> Self {
        LabelSelector {
            match_labels: whole.match_labels.map(StringMap::from),
            match_expressions: whole.match_expressions,
        }
    }
}
