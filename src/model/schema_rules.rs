//! The checks the schema implies beyond types: required fields, fields that
//! exclude each other (Istio's one-of groups) and value bounds. They are read
//! from the generated JSON Schema, so the schema is the one source of truth
//! for both `meshctl schema` and the loader.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value as Json;

use super::kind::MeshKind;

/// A bound on one field's value.
#[derive(Debug, Clone)]
pub enum Bound {
    /// Characters of a string or items of a list.
    MinLength(u64),
    MaxLength(u64),
    Minimum(f64),
    Maximum(f64),
    Pattern(Regex),
    /// A bound on each item of a list, or each value of a map.
    Each(Box<Bound>),
    /// An integer of a fixed set (an `enum` of numbers).
    OneOf(Vec<f64>),
    /// A keyed list (`x-kubernetes-list-type: map`): no two items share the
    /// values of these fields.
    UniqueKeys(Vec<String>),
    /// A set (`x-kubernetes-list-type: set`): no item twice.
    UniqueItems,
}

/// The rules of one struct (a `$defs` entry), keyed by its JSON field names.
#[derive(Debug, Default)]
pub struct StructRules {
    pub required: Vec<String>,
    /// Groups of fields of which at most one may be set.
    pub exclusive: Vec<Vec<String>>,
    pub bounds: Vec<(String, Bound)>,
}

/// Rules for every struct of one kind's model, by Rust type name (which is
/// the name serde passes when it deserializes a struct, and schemars' def
/// name). Keyed per kind: another mesh's `Destination` or `RetryPolicy` is
/// another struct, and must not inherit Istio's rules.
#[derive(Debug, Default)]
pub struct SchemaRules {
    structs: HashMap<String, StructRules>,
}

impl SchemaRules {
    /// The rules of one kind, read from its schema; built once per process.
    pub fn of_kind(kind: MeshKind) -> &'static SchemaRules {
        static RULES: OnceLock<HashMap<MeshKind, SchemaRules>> = OnceLock::new();
        let rules = RULES.get_or_init(|| {
            MeshKind::ALL
                .into_iter()
                .map(|kind| (kind, SchemaRules::from_schema(&kind.schema().to_value())))
                .collect()
        });
        rules.get(&kind).unwrap_or_else(|| SchemaRules::none())
    }

    /// No rules: for types outside the mesh model, whose struct names may
    /// collide with ours (Kubernetes has a `ServicePort` too).
    pub fn none() -> &'static SchemaRules {
        static NONE: OnceLock<SchemaRules> = OnceLock::new();
        NONE.get_or_init(SchemaRules::default)
    }

    pub fn for_struct(&self, name: &str) -> Option<&StructRules> {
        self.structs.get(name)
    }

    fn from_schema(schema: &Json) -> SchemaRules {
        let defs = schema.get("$defs").and_then(Json::as_object);
        SchemaRules {
            structs: defs
                .into_iter()
                .flatten()
                .map(|(name, def)| (name.clone(), struct_rules(def)))
                .collect(),
        }
    }
}

fn struct_rules(def: &Json) -> StructRules {
    let required = def
        .get("required")
        .and_then(Json::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Json::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let mut exclusive = Vec::new();
    if let Some(group) = def.get("oneOf").and_then(exclusive_group) {
        exclusive.push(group);
    }
    for part in def
        .get("allOf")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(group) = part.get("oneOf").and_then(exclusive_group) {
            exclusive.push(group);
        }
    }
    let bounds = def
        .get("properties")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(field, schema)| {
            field_bounds(schema)
                .into_iter()
                .map(move |b| (field.clone(), b))
        })
        .collect();
    StructRules {
        required,
        exclusive,
        bounds,
    }
}

/// Reads Istio's "at most one of" shape: `oneOf: [{not: {anyOf: [...]}},
/// {required: [a]}, {required: [b]}, ...]`.
fn exclusive_group(one_of: &Json) -> Option<Vec<String>> {
    let alternatives = one_of.as_array()?;
    let fields: Vec<String> = alternatives
        .iter()
        .filter_map(|alt| {
            alt.get("required")?
                .as_array()?
                .first()?
                .as_str()
                .map(String::from)
        })
        .collect();
    (fields.len() > 1).then_some(fields)
}

fn field_bounds(schema: &Json) -> Vec<Bound> {
    let number = |key| schema.get(key).and_then(Json::as_f64);
    let count = |key| schema.get(key).and_then(Json::as_u64);
    let unsigned = schema
        .get("format")
        .and_then(Json::as_str)
        .is_some_and(|f| f.starts_with("uint"));
    let mut bounds = Vec::new();
    // Lengths of strings, lists and maps alike.
    if let Some(n) = count("minLength")
        .or(count("minItems"))
        .or(count("minProperties"))
    {
        bounds.push(Bound::MinLength(n));
    }
    if let Some(n) = count("maxLength")
        .or(count("maxItems"))
        .or(count("maxProperties"))
    {
        bounds.push(Bound::MaxLength(n));
    }
    // Unsigned integer types already refuse values outside their range.
    if let Some(min) = number("minimum").filter(|m| !(unsigned && *m == 0.0)) {
        bounds.push(Bound::Minimum(min));
    }
    if let Some(max) = number("maximum").filter(|_| !unsigned) {
        bounds.push(Bound::Maximum(max));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Json::as_str)
        && let Ok(regex) = Regex::new(pattern)
    {
        bounds.push(Bound::Pattern(regex));
    }
    if let Some(keys) = schema
        .get("x-kubernetes-list-map-keys")
        .and_then(Json::as_array)
    {
        let keys = keys.iter().filter_map(Json::as_str).map(String::from);
        bounds.push(Bound::UniqueKeys(keys.collect()));
    }
    if schema.get("uniqueItems").and_then(Json::as_bool) == Some(true) {
        bounds.push(Bound::UniqueItems);
    }
    if let Some(values) = schema.get("enum").and_then(Json::as_array)
        && let Some(numbers) = values
            .iter()
            .map(Json::as_f64)
            .collect::<Option<Vec<f64>>>()
    {
        bounds.push(Bound::OneOf(numbers));
    }
    let nested = [schema.get("items"), schema.get("additionalProperties")];
    for inner in nested.into_iter().flatten().filter(|s| s.is_object()) {
        let each = field_bounds(inner)
            .into_iter()
            .map(|b| Bound::Each(Box::new(b)));
        bounds.extend(each);
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_and_exclusive_fields_come_from_the_schema() {
        let rules = SchemaRules::of_kind(MeshKind::VirtualService);
        let destination = rules.for_struct("Destination").unwrap();
        assert_eq!(destination.required, vec!["host".to_string()]);
        let string_match = rules.for_struct("StringMatch").unwrap();
        assert_eq!(
            string_match.exclusive,
            vec![vec!["exact".to_string(), "prefix".into(), "regex".into()]]
        );
        let consistent_hash = SchemaRules::of_kind(MeshKind::DestinationRule)
            .for_struct("ConsistentHashLb")
            .unwrap();
        assert_eq!(consistent_hash.exclusive.len(), 2);
    }

    #[test]
    fn a_kind_has_only_the_rules_of_its_own_structs() {
        let policy = SchemaRules::of_kind(MeshKind::PeerAuthentication);
        assert!(policy.for_struct("Destination").is_none());
        assert!(policy.for_struct("MutualTls").is_some());
    }

    /// serde names a struct by its Rust name alone, so two structs of the
    /// same name in one kind's model would share their rules. schemars tells
    /// them apart by numbering the second (`Destination2`): no kind may
    /// have such a pair.
    #[test]
    fn no_two_structs_of_a_kind_share_a_name() {
        for kind in MeshKind::ALL {
            let schema = kind.schema().to_value();
            let defs = schema["$defs"].as_object().cloned().unwrap_or_default();
            for name in defs.keys() {
                let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
                assert!(
                    base == name || !defs.contains_key(base),
                    "{kind}: two structs named {base}"
                );
            }
        }
    }
}
