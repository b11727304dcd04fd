//! Field-level changes between two normal forms of one resource, each list
//! compared as the API reads it ([`ListOrder`]): sets as sets, keyed lists
//! by their key, routes paired by name or content (a route that moved is a
//! move, not a rewrite of every route in between), other lists by position.

use std::collections::{HashMap, VecDeque};

use serde_json::Value as Json;

use crate::loader::push_key;
use crate::normal::lists::{ListOrder, list_order};
use crate::normal::{Normal, key_value};

/// One field whose value changed; `None` is a field absent on that side.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub path: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
}

/// A route that changed place: which requests it sees first changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

/// The field changes and route moves of one modified resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldDiff {
    pub fields: Vec<FieldChange>,
    pub moves: Vec<Move>,
}

/// Compares two normal forms of the same resource (metadata and body).
pub fn field_diff(old: &Normal, new: &Normal) -> FieldDiff {
    let mut walker = Walker {
        kind: &new.identity.kind,
        typed: new.typed,
        out: FieldDiff::default(),
    };
    let mut path = String::new();
    let mut shape = String::new();
    walker.field(
        "metadata",
        Some(&old.metadata),
        Some(&new.metadata),
        &mut path,
        &mut shape,
    );
    walker.fields(&old.body, &new.body, &mut path, &mut shape);
    walker.out
}

struct Walker<'a> {
    kind: &'a str,
    typed: bool,
    out: FieldDiff,
}

impl Walker<'_> {
    fn value(&mut self, old: &Json, new: &Json, path: &mut String, shape: &mut String) {
        if old == new {
            return;
        }
        match (old, new) {
            (Json::Object(a), Json::Object(b)) => self.fields(a, b, path, shape),
            (Json::Array(a), Json::Array(b)) => match list_order(self.kind, self.typed, shape) {
                ListOrder::Set => self.set(a, b, path),
                ListOrder::Keyed(keys) => self.keyed(a, b, keys, path, shape),
                ListOrder::Routes => self.routes(a, b, path, shape),
                ListOrder::Positional => self.positional(a, b, path, shape),
            },
            _ => self.changed(path, Some(old), Some(new)),
        }
    }

    fn fields(
        &mut self,
        old: &serde_json::Map<String, Json>,
        new: &serde_json::Map<String, Json>,
        path: &mut String,
        shape: &mut String,
    ) {
        for (key, a) in old {
            self.field(key, Some(a), new.get(key), path, shape);
        }
        for (key, b) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
            self.field(key, None, Some(b), path, shape);
        }
    }

    fn field(
        &mut self,
        key: &str,
        old: Option<&Json>,
        new: Option<&Json>,
        path: &mut String,
        shape: &mut String,
    ) {
        let (path_len, shape_len) = (path.len(), shape.len());
        push_key(path, key);
        if !shape.is_empty() {
            shape.push('.');
        }
        shape.push_str(key);
        match (old, new) {
            (Some(a), Some(b)) => self.value(a, b, path, shape),
            (a, b) => self.changed(path, a, b),
        }
        path.truncate(path_len);
        shape.truncate(shape_len);
    }

    fn item(
        &mut self,
        old: &Json,
        new: &Json,
        index: usize,
        path: &mut String,
        shape: &mut String,
    ) {
        let len = path.len();
        path.push_str(&format!("[{index}]"));
        self.value(old, new, path, shape);
        path.truncate(len);
    }

    fn changed(&mut self, path: &str, old: Option<&Json>, new: Option<&Json>) {
        self.out.fields.push(FieldChange {
            path: path.to_string(),
            old: old.cloned(),
            new: new.cloned(),
        });
    }

    fn removed_item(&mut self, path: &str, index: usize, value: &Json) {
        self.changed(&format!("{path}[{index}]"), Some(value), None);
    }

    fn added_item(&mut self, path: &str, index: usize, value: &Json) {
        self.changed(&format!("{path}[{index}]"), None, Some(value));
    }

    /// Items only one side has; duplicates count.
    fn set(&mut self, old: &[Json], new: &[Json], path: &str) {
        for i in unmatched(old, new) {
            self.removed_item(path, i, &old[i]);
        }
        for j in unmatched(new, old) {
            self.added_item(path, j, &new[j]);
        }
    }

    fn keyed(
        &mut self,
        old: &[Json],
        new: &[Json],
        keys: &[&str],
        path: &mut String,
        shape: &mut String,
    ) {
        let key_of = |item: &Json| -> Vec<Option<Json>> {
            keys.iter().map(|k| key_value(item, k).cloned()).collect()
        };
        let mut by_key: HashMap<Vec<Option<Json>>, VecDeque<usize>> = HashMap::new();
        for (j, item) in new.iter().enumerate() {
            by_key.entry(key_of(item)).or_default().push_back(j);
        }
        let mut paired = vec![false; new.len()];
        for (i, item) in old.iter().enumerate() {
            match by_key.get_mut(&key_of(item)).and_then(VecDeque::pop_front) {
                Some(j) => {
                    paired[j] = true;
                    self.item(item, &new[j], j, path, shape);
                }
                None => self.removed_item(path, i, item),
            }
        }
        for (j, item) in new.iter().enumerate().filter(|(j, _)| !paired[*j]) {
            self.added_item(path, j, item);
        }
    }

    fn routes(&mut self, old: &[Json], new: &[Json], path: &mut String, shape: &mut String) {
        let pairs = pair_routes(old, new);
        let kept = longest_increasing(&pairs);
        let mut paired_old = vec![false; old.len()];
        let mut paired_new = vec![false; new.len()];
        for (n, &(i, j)) in pairs.iter().enumerate() {
            paired_old[i] = true;
            paired_new[j] = true;
            if !kept[n] {
                self.out.moves.push(Move {
                    from: format!("{path}[{i}]"),
                    to: format!("{path}[{j}]"),
                });
            }
            self.item(&old[i], &new[j], j, path, shape);
        }
        for (i, item) in old.iter().enumerate().filter(|(i, _)| !paired_old[*i]) {
            self.removed_item(path, i, item);
        }
        for (j, item) in new.iter().enumerate().filter(|(j, _)| !paired_new[*j]) {
            self.added_item(path, j, item);
        }
    }

    fn positional(&mut self, old: &[Json], new: &[Json], path: &mut String, shape: &mut String) {
        for (i, (a, b)) in old.iter().zip(new).enumerate() {
            self.item(a, b, i, path, shape);
        }
        for (i, item) in old.iter().enumerate().skip(new.len()) {
            self.removed_item(path, i, item);
        }
        for (j, item) in new.iter().enumerate().skip(old.len()) {
            self.added_item(path, j, item);
        }
    }
}

/// The indexes of the items of `items` that `other` lacks, counting
/// repeats (a multiset difference).
fn unmatched(items: &[Json], other: &[Json]) -> Vec<usize> {
    let mut available: HashMap<&Json, usize> = HashMap::new();
    for item in other {
        *available.entry(item).or_default() += 1;
    }
    (0..items.len())
        .filter(|&i| match available.get_mut(&items[i]) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// Pairs routes across versions: by `name` when named, then unnamed ones
/// by equal content, then the rest in order (an edited route is the same
/// route). Pairs come sorted by old index.
fn pair_routes(old: &[Json], new: &[Json]) -> Vec<(usize, usize)> {
    let name = |route: &Json| route.get("name").and_then(Json::as_str).map(str::to_string);
    let mut free_new = vec![true; new.len()];
    let mut pairs: Vec<Option<usize>> = vec![None; old.len()];
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (j, route) in new.iter().enumerate() {
        if let Some(n) = name(route) {
            by_name.entry(n).or_insert(j);
        }
    }
    for (i, route) in old.iter().enumerate() {
        if let Some(&j) = name(route).and_then(|n| by_name.get(&n)) {
            pairs[i] = Some(j);
            free_new[j] = false;
        }
    }
    let mut by_content: HashMap<&Json, VecDeque<usize>> = HashMap::new();
    for (j, route) in new.iter().enumerate().filter(|(j, _)| free_new[*j]) {
        by_content.entry(route).or_default().push_back(j);
    }
    for (i, route) in old.iter().enumerate() {
        if pairs[i].is_none()
            && let Some(j) = by_content.get_mut(route).and_then(VecDeque::pop_front)
        {
            pairs[i] = Some(j);
            free_new[j] = false;
        }
    }
    let mut rest_new = (0..new.len()).filter(|j| free_new[*j]);
    for pair in pairs.iter_mut().filter(|p| p.is_none()) {
        match rest_new.next() {
            Some(j) => *pair = Some(j),
            None => break,
        }
    }
    pairs
        .into_iter()
        .enumerate()
        .filter_map(|(i, j)| Some((i, j?)))
        .collect()
}

/// Which pairs keep their relative order: the longest run of pairs whose
/// new indexes increase (patience sorting, n log n). The others moved.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<bool> {
    // tails[k]: index in `pairs` of the smallest tail of a run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (n, &(_, j)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < j);
        previous[n] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(n);
        } else {
            tails[at] = n;
        }
    }
    let mut kept = vec![false; pairs.len()];
    let mut cursor = tails.last().copied();
    while let Some(n) = cursor {
        kept[n] = true;
        cursor = previous[n];
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_route_moved_forward_is_one_move() {
        let pairs = [(0, 0), (1, 2), (2, 3), (3, 1)];
        assert_eq!(longest_increasing(&pairs), [true, true, true, false]);
    }

    #[test]
    fn routes_pair_by_name_then_content_then_order() {
        let old = [
            serde_json::json!({"name": "a", "timeout": "1s"}),
            serde_json::json!({"route": 1}),
            serde_json::json!({"route": 2}),
        ];
        let new = [
            serde_json::json!({"route": 3}),
            serde_json::json!({"route": 1}),
            serde_json::json!({"name": "a", "timeout": "2s"}),
        ];
        assert_eq!(pair_routes(&old, &new), [(0, 2), (1, 1), (2, 0)]);
    }
}
