//! The diff engine: what changed between two configurations. Resources are
//! paired by [`Identity`] wherever they sit in the two trees, and compared
//! on their normal form ([`crate::normal`]), field by field
//! ([`fields`]); `traffic` tells which requests meet another outcome.
//!
//! Invariants: no I/O, no printing; one pass over each side (a hash of
//! identities, no all-pairs loops); the result is sorted by identity, so
//! it does not depend on file order.

pub mod fields;
pub mod traffic;

use std::collections::HashMap;

pub use fields::{FieldChange, FieldDiff, Move};

use rayon::prelude::*;

use crate::model::{Body, Object, ObjectSource};
use crate::normal::{Identity, Normal};

/// What happened to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Modified,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Modified => "modified",
        }
    }
}

/// One resource that is not the same on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub change: ChangeKind,
    pub old: Option<Normal>,
    pub new: Option<Normal>,
    /// Empty unless modified.
    pub diff: FieldDiff,
}

impl Change {
    pub fn identity(&self) -> &Identity {
        let either = self.new.as_ref().or(self.old.as_ref());
        &either.expect("a change has at least one side").identity
    }

    fn one_side(change: ChangeKind, object: &Object) -> Change {
        let normal = Some(Normal::of(object));
        let (old, new) = match change {
            ChangeKind::Removed => (normal, None),
            ChangeKind::Added | ChangeKind::Modified => (None, normal),
        };
        Change {
            change,
            old,
            new,
            diff: FieldDiff::default(),
        }
    }
}

/// The resources added, removed and modified from `old` to `new`, sorted
/// by identity. When a side names one resource twice, the later one
/// counts, as `kubectl apply` leaves it. Pairs written alike, or whose
/// typed content and labels and annotations are equal, are the same
/// without building their normal forms (most of a large configuration
/// does not change).
pub fn diff_objects(old: &[Object], new: &[Object]) -> Vec<Change> {
    let old_by_id = by_identity(old);
    let new_by_id = by_identity(new);
    let mut changes: Vec<Change> = new_by_id
        .par_iter()
        .filter_map(|(id, after)| match old_by_id.get(id) {
            None => Some(Change::one_side(ChangeKind::Added, after)),
            Some(before) => modified(before, after),
        })
        .collect();
    changes.extend(
        old_by_id
            .iter()
            .filter(|(id, _)| !new_by_id.contains_key(*id))
            .map(|(_, before)| Change::one_side(ChangeKind::Removed, before)),
    );
    changes.sort_by(|a, b| a.identity().cmp(b.identity()));
    changes
}

/// The change between two versions of one resource, if any.
fn modified(before: &Object, after: &Object) -> Option<Change> {
    if same_at_a_glance(before, after) {
        return None;
    }
    let (old, new) = (Normal::of(before), Normal::of(after));
    if old.metadata == new.metadata && old.body == new.body {
        return None;
    }
    let diff = fields::field_diff(&old, &new);
    Some(Change {
        change: ChangeKind::Modified,
        old: Some(old),
        new: Some(new),
        diff,
    })
}

/// The same text (a List's item: the same List, the same index), or an
/// equal typed mesh spec with equal labels and annotations: the same
/// resource, whatever the spelling. Anything else is compared on the
/// normal form (the model keeps only part of a Kubernetes object).
fn same_at_a_glance(a: &Object, b: &Object) -> bool {
    if let (Some(x), Some(y)) = (written(a), written(b))
        && x == y
    {
        return true;
    }
    let (Body::Mesh(x), Body::Mesh(y)) = (&a.body, &b.body) else {
        return false;
    };
    let (ma, mb) = (a.metadata(), b.metadata());
    x == y && ma.labels == mb.labels && ma.annotations == mb.annotations
}

/// An object's document as written, with its index when it is a List's
/// item.
fn written(object: &Object) -> Option<(&str, Option<usize>)> {
    match &object.source {
        ObjectSource::File(place) => Some((place.file.text().get(place.span.clone())?, place.item)),
        ObjectSource::Cluster { .. } | ObjectSource::Synthetic(_) => None,
    }
}

fn by_identity(objects: &[Object]) -> HashMap<Identity, &Object> {
    objects.iter().map(|o| (Identity::of(o), o)).collect()
}
