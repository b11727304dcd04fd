//! The JSON tree injection works on (a document read by the loader, as
//! `Node::to_json` gives it: Kubernetes objects are JSON underneath):
//! small accessors over it, and the key order Kubernetes prints.

use serde_json::{Map, Value as Json};

/// The value at a dotted path of mapping keys.
pub fn get<'a>(value: &'a Json, path: &[&str]) -> Option<&'a Json> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// The string at a path, if it is one.
pub fn get_str<'a>(value: &'a Json, path: &[&str]) -> Option<&'a str> {
    get(value, path)?.as_str()
}

/// The mapping at `key` of `object`, created when missing or not a mapping.
pub fn object_at<'a>(object: &'a mut Map<String, Json>, key: &str) -> &'a mut Map<String, Json> {
    let slot = object
        .entry(key.to_string())
        .or_insert_with(|| Json::Object(Map::new()));
    if !slot.is_object() {
        *slot = Json::Object(Map::new());
    }
    slot.as_object_mut().expect("just made an object")
}

/// The list at `key` of `object`, created when missing or not a list.
pub fn array_at<'a>(object: &'a mut Map<String, Json>, key: &str) -> &'a mut Vec<Json> {
    let slot = object
        .entry(key.to_string())
        .or_insert_with(|| Json::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Json::Array(Vec::new());
    }
    slot.as_array_mut().expect("just made an array")
}

/// The `name` of a list item (container, volume, env var).
pub fn name_of(item: &Json) -> Option<&str> {
    item.get("name")?.as_str()
}

/// The item named `name` in a list of named items.
pub fn find_named<'a>(items: &'a [Json], name: &str) -> Option<&'a Json> {
    items.iter().find(|i| name_of(i) == Some(name))
}

/// A string-to-string map (labels, annotations) as pairs; other values are
/// left out, as Kubernetes would refuse them anyway.
pub fn string_map(value: Option<&Json>) -> Vec<(String, String)> {
    value
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Every mapping with its keys sorted, as `sigs.k8s.io/yaml` (and so
/// istioctl and kubectl) prints objects.
pub fn sorted(value: Json) -> Json {
    match value {
        Json::Object(map) => {
            let mut entries: Vec<(String, Json)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Json::Array(items) => Json::Array(items.into_iter().map(sorted).collect()),
        scalar => scalar,
    }
}

/// A JSON object from pairs, in the order given.
pub fn object<const N: usize>(pairs: [(&str, Json); N]) -> Json {
    Json::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}
