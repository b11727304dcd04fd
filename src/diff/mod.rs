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
pub struct Change<'a> {
    pub change: ChangeKind,
    pub old: Option<&'a Normal>,
    pub new: Option<&'a Normal>,
    /// Empty unless modified.
    pub diff: FieldDiff,
}

impl Change<'_> {
    pub fn identity(&self) -> &Identity {
        let either = self.new.or(self.old);
        &either.expect("a change has at least one side").identity
    }
}

/// The resources added, removed and modified from `old` to `new`, sorted
/// by identity. When a side names one resource twice, the later one
/// counts, as `kubectl apply` leaves it.
pub fn diff_resources<'a>(old: &'a [Normal], new: &'a [Normal]) -> Vec<Change<'a>> {
    let old_by_id = by_identity(old);
    let new_by_id = by_identity(new);
    let mut changes: Vec<Change> = Vec::new();
    for (id, &after) in &new_by_id {
        match old_by_id.get(id) {
            None => changes.push(Change {
                change: ChangeKind::Added,
                old: None,
                new: Some(after),
                diff: FieldDiff::default(),
            }),
            Some(&before) if before.metadata == after.metadata && before.body == after.body => {}
            Some(&before) => changes.push(Change {
                change: ChangeKind::Modified,
                old: Some(before),
                new: Some(after),
                diff: fields::field_diff(before, after),
            }),
        }
    }
    for (id, &before) in &old_by_id {
        if !new_by_id.contains_key(id) {
            changes.push(Change {
                change: ChangeKind::Removed,
                old: Some(before),
                new: None,
                diff: FieldDiff::default(),
            });
        }
    }
    changes.sort_by(|a, b| a.identity().cmp(b.identity()));
    changes
}

fn by_identity(resources: &[Normal]) -> HashMap<&Identity, &Normal> {
    resources.iter().map(|r| (&r.identity, r)).collect()
}
