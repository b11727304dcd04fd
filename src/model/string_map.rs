//! [`StringMap`]: the small string-keyed maps of mesh config (labels,
//! annotations, selectors, header matches) in as little memory as they need.
//!
//! A run keeps every object of its input, and most objects carry a few such
//! maps of one to four entries. A `BTreeMap` allocates a whole node of room
//! for eleven entries (over 500 bytes for `String` pairs) for the first one;
//! a sorted vector holds exactly its entries. Lookups are binary searches,
//! iteration is in key order, and the serialized form and the JSON Schema
//! are those of a `BTreeMap`, so output and generated schemas do not change.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A map from strings to `V`, sorted by key, each key once.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StringMap<V = String> {
    entries: Vec<(String, V)>,
}

impl<V> Default for StringMap<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> StringMap<V> {
    pub const fn new() -> Self {
        StringMap {
            entries: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.position(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.position(key).ok().map(|i| self.entries.remove(i).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// Entries in key order.
    pub fn iter(&self) -> Iter<'_, V> {
        Iter(self.entries.iter())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Builds the map from entries in any order; a later entry for a key
    /// replaces an earlier one, as in a `BTreeMap`.
    fn from_entries(mut entries: Vec<(String, V)>) -> Self {
        // A stable sort keeps equal keys in input order, so the last of each
        // run is the one to keep.
        entries.sort_by(|(a, _), (b, _)| a.cmp(b));
        let mut unique: Vec<(String, V)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match unique.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => unique.push(entry),
            }
        }
        unique.shrink_to_fit();
        StringMap { entries: unique }
    }
}

/// Iterator over a [`StringMap`]'s entries, as `BTreeMap::iter` yields them.
#[derive(Clone)]
pub struct Iter<'a, V>(std::slice::Iter<'a, (String, V)>);

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a String, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

impl<'a, V> IntoIterator for &'a StringMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = Iter<'a, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<V> IntoIterator for StringMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<V> FromIterator<(String, V)> for StringMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        Self::from_entries(iter.into_iter().collect())
    }
}

impl<V> Extend<(String, V)> for StringMap<V> {
    fn extend<I: IntoIterator<Item = (String, V)>>(&mut self, iter: I) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.extend(iter);
        *self = Self::from_entries(entries);
    }
}

impl<V> From<BTreeMap<String, V>> for StringMap<V> {
    fn from(map: BTreeMap<String, V>) -> Self {
        // Already sorted and unique.
        StringMap {
            entries: map.into_iter().collect(),
        }
    }
}

impl<V, const N: usize> From<[(String, V); N]> for StringMap<V> {
    fn from(entries: [(String, V); N]) -> Self {
        Self::from_entries(entries.into())
    }
}

impl<V> std::ops::Index<&str> for StringMap<V> {
    type Output = V;

    fn index(&self, key: &str) -> &V {
        self.get(key).expect("key present in StringMap")
    }
}

impl<V: fmt::Debug> fmt::Debug for StringMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: Serialize> Serialize for StringMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for StringMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = StringMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                // The hint is capped: it comes from the input.
                let mut entries = Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = access.next_entry()? {
                    entries.push(entry);
                }
                Ok(StringMap::from_entries(entries))
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// The schema of a `BTreeMap<String, V>`: the generated JSON Schemas do not
/// depend on how meshctl stores a map.
impl<V: JsonSchema> JsonSchema for StringMap<V> {
    fn inline_schema() -> bool {
        <BTreeMap<String, V>>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        <BTreeMap<String, V>>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <BTreeMap<String, V>>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <BTreeMap<String, V>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, &str)]) -> StringMap {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn entries_are_sorted_and_the_last_of_a_key_wins() {
        let m = map(&[("b", "1"), ("a", "2"), ("b", "3")]);
        let entries: Vec<_> = m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(entries, [("a", "2"), ("b", "3")]);
        assert_eq!(m.get("b").map(String::as_str), Some("3"));
        assert!(!m.contains_key("c"));
    }

    #[test]
    fn insert_and_remove_keep_the_order() {
        let mut m = map(&[("b", "1")]);
        assert_eq!(m.insert("a".into(), "0".into()), None);
        assert_eq!(m.insert("b".into(), "2".into()).as_deref(), Some("1"));
        assert_eq!(m.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m.remove("a").as_deref(), Some("0"));
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn reads_and_writes_as_a_btreemap_does() {
        let json = r#"{"z":"1","a":"2","z":"3"}"#;
        let ours: StringMap = serde_json::from_str(json).unwrap();
        let theirs: BTreeMap<String, String> = serde_json::from_str(json).unwrap();
        assert_eq!(ours, StringMap::from(theirs.clone()));
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
        assert!(serde_json::from_str::<StringMap>(r#"["a"]"#).is_err());
    }

    #[test]
    fn has_the_schema_of_a_btreemap() {
        let ours = schemars::schema_for!(StringMap<u32>);
        let theirs = schemars::schema_for!(BTreeMap<String, u32>);
        assert_eq!(ours, theirs);
    }
}
