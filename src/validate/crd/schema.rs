//! The structural schema, compiled once per CRD version, and the walk that
//! checks a value against it (schema and value together, so every finding
//! has its exact field path, in time linear in the size of the value).

use std::collections::HashMap;

use kube_cel::cel::Value as Cel;
use regex::Regex;
use serde_json::Value as Json;

use super::cel::{CelRule, Evaluator, json_to_cel};
use super::{crd_schema, crd_validation_rule};
use crate::loader::push_key;
use crate::model::Object;
use crate::report::{Diagnostic, Rule};

/// Deeper schemas and values are not checked (a guard for the recursion).
pub(super) const MAX_DEPTH: usize = 200;

#[derive(Debug, Default)]
pub(super) struct SchemaNode {
    ty: Option<String>,
    nullable: bool,
    int_or_string: bool,
    preserve_unknown: bool,
    embedded: bool,
    properties: HashMap<String, SchemaNode>,
    /// Property names in schema order, for suggestions.
    names: Vec<String>,
    additional: Additional,
    items: Option<Box<SchemaNode>>,
    required: Vec<String>,
    enumeration: Vec<Json>,
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    multiple_of: Option<f64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
    pattern: Option<(String, Regex)>,
    format: Option<String>,
    list_set: bool,
    all_of: Vec<SchemaNode>,
    any_of: Vec<SchemaNode>,
    one_of: Vec<SchemaNode>,
    not: Option<Box<SchemaNode>>,
    rules: Vec<CelRule>,
    /// `default`: applied (for the CEL rules) when the field is absent.
    default: Option<Json>,
    /// Whether this node or one below it has CEL rules.
    has_rules: bool,
}

#[derive(Debug, Default)]
enum Additional {
    #[default]
    None,
    Allow(bool),
    Schema(Box<SchemaNode>),
}

fn string_list(value: Option<&Json>) -> Vec<String> {
    value
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

impl SchemaNode {
    pub(super) fn compile(schema: &Json, depth: usize) -> SchemaNode {
        let mut node = SchemaNode::default();
        let Some(map) = schema.as_object() else {
            return node;
        };
        if depth > MAX_DEPTH {
            node.preserve_unknown = true;
            return node;
        }
        let sub = |value: &Json| SchemaNode::compile(value, depth + 1);
        let subs = |key: &str| -> Vec<SchemaNode> {
            map.get(key)
                .and_then(Json::as_array)
                .map(|a| a.iter().map(sub).collect())
                .unwrap_or_default()
        };
        let flag = |key: &str| map.get(key).and_then(Json::as_bool) == Some(true);
        let uint = |key: &str| map.get(key).and_then(Json::as_u64);
        node.ty = map.get("type").and_then(Json::as_str).map(str::to_string);
        node.nullable = flag("nullable");
        node.int_or_string = flag("x-kubernetes-int-or-string");
        node.preserve_unknown = flag("x-kubernetes-preserve-unknown-fields");
        node.embedded = flag("x-kubernetes-embedded-resource");
        if let Some(properties) = map.get("properties").and_then(Json::as_object) {
            for (name, schema) in properties {
                node.names.push(name.clone());
                node.properties.insert(name.clone(), sub(schema));
            }
        }
        node.additional = match map.get("additionalProperties") {
            Some(Json::Bool(allow)) => Additional::Allow(*allow),
            Some(schema @ Json::Object(_)) => Additional::Schema(Box::new(sub(schema))),
            _ => Additional::None,
        };
        node.items = map.get("items").map(|s| Box::new(sub(s)));
        node.required = string_list(map.get("required"));
        node.enumeration = map
            .get("enum")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        node.minimum = map
            .get("minimum")
            .and_then(Json::as_f64)
            .map(|m| (m, flag("exclusiveMinimum")));
        node.maximum = map
            .get("maximum")
            .and_then(Json::as_f64)
            .map(|m| (m, flag("exclusiveMaximum")));
        node.multiple_of = map
            .get("multipleOf")
            .and_then(Json::as_f64)
            .filter(|m| *m > 0.0);
        node.min_length = uint("minLength");
        node.max_length = uint("maxLength");
        node.min_items = uint("minItems");
        node.max_items = uint("maxItems");
        node.min_properties = uint("minProperties");
        node.max_properties = uint("maxProperties");
        node.pattern = map.get("pattern").and_then(Json::as_str).and_then(|p| {
            regex::RegexBuilder::new(p)
                .size_limit(1 << 20)
                .build()
                .ok()
                .map(|r| (p.to_string(), r))
        });
        node.format = map.get("format").and_then(Json::as_str).map(str::to_string);
        node.list_set = map.get("x-kubernetes-list-type").and_then(Json::as_str) == Some("set");
        node.all_of = subs("allOf");
        node.any_of = subs("anyOf");
        node.one_of = subs("oneOf");
        node.not = map.get("not").map(|s| Box::new(sub(s)));
        node.default = map.get("default").filter(|d| !d.is_null()).cloned();
        if let Some(rules) = map.get("x-kubernetes-validations").and_then(Json::as_array) {
            node.rules = rules.iter().filter_map(CelRule::compile).collect();
        }
        node.has_rules = !node.rules.is_empty()
            || node.properties.values().any(|p| p.has_rules)
            || node.items.as_ref().is_some_and(|i| i.has_rules)
            || matches!(&node.additional, Additional::Schema(s) if s.has_rules);
        node
    }

    /// The schema of a mapping's field, if it has one.
    fn field(&self, key: &str) -> Option<&SchemaNode> {
        self.properties.get(key).or(match &self.additional {
            Additional::Schema(schema) => Some(schema),
            _ => None,
        })
    }

    fn allows_unknown(&self) -> bool {
        self.preserve_unknown || matches!(self.additional, Additional::Allow(true))
    }

    fn type_matches(&self, value: &Json) -> bool {
        if self.int_or_string {
            return is_integer(value) || value.is_string();
        }
        match self.ty.as_deref() {
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some("string") => value.is_string(),
            Some("integer") => is_integer(value),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            _ => true,
        }
    }

    fn expected(&self) -> &str {
        if self.int_or_string {
            "an integer or a string"
        } else {
            match self.ty.as_deref() {
                Some("object") => "an object",
                Some("array") => "a list",
                Some("string") => "a string",
                Some("integer") => "an integer",
                Some("number") => "a number",
                Some("boolean") => "a boolean",
                _ => "any value",
            }
        }
    }
}

fn is_integer(value: &Json) -> bool {
    value.as_i64().is_some() || value.as_u64().is_some()
}

fn type_name(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(n) if n.is_f64() => "a number",
        Json::Number(_) => "an integer",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// One value-level violation, before it gets its place.
type Violation = (String, Option<String>);

/// The value-level checks of one node (everything but fields, items and CEL):
/// used for the node itself and, as a yes/no, for allOf/anyOf/oneOf/not.
fn value_violations(schema: &SchemaNode, value: &Json, out: &mut Vec<Violation>) {
    if !schema.enumeration.is_empty() && !schema.enumeration.contains(value) {
        let allowed: Vec<String> = schema.enumeration.iter().map(Json::to_string).collect();
        out.push((
            format!("invalid value {value}"),
            Some(format!("expected one of {}", allowed.join(", "))),
        ));
    }
    match value {
        Json::Number(n) => {
            if let Some(x) = n.as_f64() {
                if let Some((min, exclusive)) = schema.minimum
                    && (x < min || (exclusive && x == min))
                {
                    let op = if exclusive { ">" } else { ">=" };
                    out.push((format!("{value} must be {op} {min}"), None));
                }
                if let Some((max, exclusive)) = schema.maximum
                    && (x > max || (exclusive && x == max))
                {
                    let op = if exclusive { "<" } else { "<=" };
                    out.push((format!("{value} must be {op} {max}"), None));
                }
                if let Some(m) = schema.multiple_of
                    && ((x / m) - (x / m).round()).abs() > 1e-9
                {
                    out.push((format!("{value} must be a multiple of {m}"), None));
                }
            }
            if is_integer(value) {
                let range = match schema.format.as_deref() {
                    Some("int32") => Some((f64::from(i32::MIN), f64::from(i32::MAX))),
                    Some("int64") => Some((i64::MIN as f64, i64::MAX as f64)),
                    _ => None,
                };
                if let (Some((lo, hi)), Some(x)) = (range, n.as_f64())
                    && (x < lo || x > hi)
                {
                    out.push((
                        format!("{value} does not fit format {:?}", schema.format),
                        None,
                    ));
                }
            }
        }
        Json::String(s) => {
            let len = s.chars().count() as u64;
            if let Some(min) = schema.min_length
                && len < min
            {
                out.push((format!("{value} is shorter than {min} characters"), None));
            }
            if let Some(max) = schema.max_length
                && len > max
            {
                out.push((format!("{value} is longer than {max} characters"), None));
            }
            if let Some((source, regex)) = &schema.pattern
                && !regex.is_match(s)
            {
                out.push((format!("{value} does not match pattern {source:?}"), None));
            }
            if let Some(problem) = schema.format.as_deref().and_then(|f| format_problem(f, s)) {
                out.push((format!("{value} {problem}"), None));
            }
        }
        Json::Array(items) => {
            let len = items.len() as u64;
            if let Some(min) = schema.min_items
                && len < min
            {
                out.push((format!("list has {len} items, fewer than {min}"), None));
            }
            if let Some(max) = schema.max_items
                && len > max
            {
                out.push((format!("list has {len} items, more than {max}"), None));
            }
        }
        Json::Object(map) => {
            let len = map.len() as u64;
            if let Some(min) = schema.min_properties
                && len < min
            {
                out.push((format!("object has {len} fields, fewer than {min}"), None));
            }
            if let Some(max) = schema.max_properties
                && len > max
            {
                out.push((format!("object has {len} fields, more than {max}"), None));
            }
        }
        _ => {}
    }
    // The API server judges the alternatives after applying defaults: a
    // Gateway address without `type` is an IPAddress, not a value that fits
    // both "is an IPAddress" and "is not one".
    let combined = schema.not.is_some()
        || !(schema.all_of.is_empty() && schema.any_of.is_empty() && schema.one_of.is_empty());
    let defaulted = if combined {
        with_defaults(schema, value)
    } else {
        std::borrow::Cow::Borrowed(value)
    };
    let value = &*defaulted;
    for branch in &schema.all_of {
        if !satisfies(branch, value, 0) {
            out.push((
                "value does not satisfy an allOf alternative".into(),
                hint(&schema.all_of),
            ));
            break;
        }
    }
    if !schema.any_of.is_empty() && !schema.any_of.iter().any(|b| satisfies(b, value, 0)) {
        out.push((
            "value satisfies none of the anyOf alternatives".into(),
            hint(&schema.any_of),
        ));
    }
    if !schema.one_of.is_empty() {
        let matching = schema
            .one_of
            .iter()
            .filter(|b| satisfies(b, value, 0))
            .count();
        if matching != 1 {
            out.push((
                format!("value satisfies {matching} of the oneOf alternatives, not exactly one"),
                hint(&schema.one_of),
            ));
        }
    }
    if let Some(not) = &schema.not
        && satisfies(not, value, 0)
    {
        out.push(("value satisfies a schema it must not (not)".into(), None));
    }
}

/// `value` with the defaults of its absent fields applied (a copy only
/// when one is missing).
fn with_defaults<'a>(schema: &SchemaNode, value: &'a Json) -> std::borrow::Cow<'a, Json> {
    let Json::Object(map) = value else {
        return std::borrow::Cow::Borrowed(value);
    };
    let missing: Vec<(&String, &Json)> = schema
        .properties
        .iter()
        .filter(|(name, _)| !map.contains_key(*name))
        .filter_map(|(name, field)| field.default.as_ref().map(|d| (name, d)))
        .collect();
    if missing.is_empty() {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut defaulted = map.clone();
    for (name, default) in missing {
        defaulted.insert(name.clone(), default.clone());
    }
    std::borrow::Cow::Owned(Json::Object(defaulted))
}

/// The fields the alternatives require, as a hint for one-of groups.
fn hint(branches: &[SchemaNode]) -> Option<String> {
    let mut fields: Vec<&str> = Vec::new();
    for branch in branches {
        for field in &branch.required {
            if !fields.contains(&field.as_str()) {
                fields.push(field);
            }
        }
    }
    (!fields.is_empty()).then(|| format!("the alternatives concern fields {}", fields.join(", ")))
}

/// Whether `value` satisfies a value-validation schema (the branches of
/// allOf, anyOf, oneOf and not).
fn satisfies(schema: &SchemaNode, value: &Json, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    if !value.is_null() && !schema.type_matches(value) {
        return false;
    }
    let mut violations = Vec::new();
    value_violations(schema, value, &mut violations);
    if !violations.is_empty() {
        return false;
    }
    match value {
        Json::Object(map) => {
            schema.required.iter().all(|r| map.contains_key(r))
                && map.iter().all(|(k, v)| {
                    schema
                        .properties
                        .get(k)
                        .is_none_or(|s| satisfies(s, v, depth + 1))
                })
        }
        Json::Array(items) => schema
            .items
            .as_ref()
            .is_none_or(|s| items.iter().all(|v| satisfies(s, v, depth + 1))),
        _ => true,
    }
}

/// The formats checked: the simple ones Kubernetes knows.
fn format_problem(format: &str, s: &str) -> Option<&'static str> {
    let ok = match format {
        "uuid" => {
            s.len() == 36
                && s.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                })
        }
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        "date" => {
            s.len() == 10
                && s.char_indices().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
        }
        _ => return None,
    };
    (!ok).then_some(match format {
        "uuid" => "is not a UUID",
        "ipv4" => "is not an IPv4 address",
        "ipv6" => "is not an IPv6 address",
        _ => "is not a date (YYYY-MM-DD)",
    })
}

/// Checks one object against its CRD version's schema.
pub(super) struct Walker<'a> {
    pub object: &'a Object,
    pub crd: &'a str,
    pub out: Vec<Diagnostic>,
    /// How many MSH2001 findings so far (rules under one are not evaluated).
    pub schema_errors: usize,
    /// Point the next finding at its key rather than its value.
    pub at_key: bool,
    pub evaluator: Evaluator,
}

impl Walker<'_> {
    fn report(&mut self, rule: &'static Rule, path: &str, message: String, help: Option<String>) {
        let pos = if self.at_key {
            self.object.locate(path)
        } else {
            self.object.locate_value(path)
        };
        self.out.push(
            Diagnostic::new(rule, message)
                .about(self.object, pos, path)
                .help(help),
        );
    }

    fn schema_error(&mut self, path: &str, message: String, help: Option<String>) {
        let message = format!("{message} (CRD {})", self.crd);
        self.schema_errors += 1;
        self.report(&crd_schema::RULE, path, message, help);
    }

    pub(super) fn rule_error(&mut self, path: &str, message: String, help: Option<String>) {
        let message = format!("{message} (CRD {})", self.crd);
        self.report(&crd_validation_rule::RULE, path, message, help);
    }

    /// Checks `value` at `path` against `schema`, and returns its CEL value
    /// when a rule here or above needs it (`need`). `root`: the object
    /// itself or an embedded resource, where apiVersion, kind and metadata
    /// are implicit.
    pub(super) fn check(
        &mut self,
        schema: &SchemaNode,
        value: &Json,
        path: &mut String,
        depth: usize,
        need: bool,
        root: bool,
    ) -> Option<Cel> {
        if depth > MAX_DEPTH {
            self.schema_error(
                path,
                format!("nesting deeper than {MAX_DEPTH} levels is not checked"),
                None,
            );
            return None;
        }
        if value.is_null() && schema.nullable {
            return need.then_some(Cel::Null);
        }
        if !schema.type_matches(value) {
            self.schema_error(
                path,
                format!("expected {}, found {}", schema.expected(), type_name(value)),
                None,
            );
            return None;
        }
        let errors_before = self.schema_errors;
        let mut violations = Vec::new();
        value_violations(schema, value, &mut violations);
        for (message, help) in violations {
            self.schema_error(path, message, help);
        }
        let need_here = need || !schema.rules.is_empty();
        let cel = match value {
            Json::Object(map) => self.check_object(schema, map, path, depth, need_here, root),
            Json::Array(items) => {
                let mut list = need_here.then(|| Vec::with_capacity(items.len()));
                if schema.list_set {
                    for (i, item) in items.iter().enumerate() {
                        if items[..i].contains(item) {
                            let mut item_path = path.clone();
                            item_path.push_str(&format!("[{i}]"));
                            self.schema_error(
                                &item_path,
                                format!("duplicate item {item} in a list of type set"),
                                None,
                            );
                        }
                    }
                }
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    let child = match &schema.items {
                        Some(items) => self.check(items, item, path, depth + 1, need_here, false),
                        None => need_here.then(|| json_to_cel(item, 0)),
                    };
                    path.truncate(len);
                    if let (Some(list), Some(child)) = (list.as_mut(), child) {
                        list.push(child);
                    }
                }
                list.map(Cel::from)
            }
            _ => need_here.then(|| scalar_to_cel(schema, value)),
        };
        if !schema.rules.is_empty()
            && self.schema_errors == errors_before
            && let Some(cel) = &cel
        {
            self.evaluate(&schema.rules, cel, path);
        }
        if need { cel } else { None }
    }

    fn check_object(
        &mut self,
        schema: &SchemaNode,
        map: &serde_json::Map<String, Json>,
        path: &mut String,
        depth: usize,
        need: bool,
        root: bool,
    ) -> Option<Cel> {
        for required in &schema.required {
            let present = match map.get(required) {
                None => false,
                Some(Json::Null) => schema.field(required).is_some_and(|s| s.nullable),
                Some(_) => true,
            };
            if !present {
                let mut field_path = path.clone();
                push_key(&mut field_path, required);
                self.schema_error(
                    &field_path,
                    format!("missing required field {required:?}"),
                    None,
                );
            }
        }
        let root = root || schema.embedded;
        let mut fields = need.then(HashMap::<String, Cel>::new);
        for (key, value) in map {
            let len = path.len();
            push_key(path, key);
            let child = if root && matches!(key.as_str(), "apiVersion" | "kind" | "metadata") {
                // The API server validates these itself.
                need.then(|| json_to_cel(value, 0))
            } else if let Some(field) = schema.field(key) {
                if value.is_null() && !field.nullable {
                    // Pruned by the API server, as if absent.
                    None
                } else {
                    self.check(field, value, path, depth + 1, need, field.embedded)
                }
            } else if schema.allows_unknown() {
                need.then(|| json_to_cel(value, 0))
            } else {
                let names: Vec<&str> = schema.names.iter().map(String::as_str).collect();
                let help = crate::model::de::suggest(key, &names);
                // Like MSH1001, at the key.
                self.at_key = true;
                self.schema_error(path, format!("unknown field {key:?}"), Some(help));
                self.at_key = false;
                None
            };
            path.truncate(len);
            if let (Some(fields), Some(child)) = (fields.as_mut(), child) {
                fields.insert(key.clone(), child);
            }
        }
        if let Some(fields) = fields.as_mut() {
            // The API server applies defaults before it evaluates rules.
            for (name, field) in &schema.properties {
                if let Some(default) = &field.default
                    && !fields.contains_key(name)
                {
                    fields.insert(name.clone(), scalar_to_cel(field, default));
                }
            }
        }
        fields.map(Cel::from)
    }
}

/// A scalar as Kubernetes hands it to CEL: `number` fields are doubles.
fn scalar_to_cel(schema: &SchemaNode, value: &Json) -> Cel {
    match (schema.ty.as_deref(), value.as_f64()) {
        (Some("number"), Some(x)) => Cel::Float(x),
        _ => json_to_cel(value, 0),
    }
}
