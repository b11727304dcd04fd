//! Typed resources straight from the spanned tree: a serde `Deserializer`
//! over [`Node`] that never stops at the first problem.
//!
//! Every problem (unknown field, wrong type, invalid enum value, missing
//! required field, conflicting one-of fields, out-of-bounds value) is recorded
//! with its field path and position, and a neutral value (empty, zero, first
//! variant) stands in so deserialization can go on and find the rest. A
//! document with problems is therefore fully reported, and its typed value is
//! only for the record: checks do not run on it.

use std::cell::RefCell;
use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::schema_rules::{Bound, SchemaRules};
use crate::loader::{Entry, Node, Pos, Value, push_key, quoted};

/// What is wrong with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblemKind {
    UnknownField,
    WrongType,
    InvalidValue,
    MissingRequired,
    Conflict,
    OutOfBounds,
    /// A mesh kind at an apiVersion Istio does not serve.
    UnsupportedVersion,
    /// A kind the resource's API group does not serve.
    UnknownKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    pub kind: FieldProblemKind,
    /// Field path from the resource root, e.g. `spec.http[0].route[1].weight`.
    pub path: String,
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
}

/// Deserializes `T` from a node, returning the value and every problem found.
/// `None` only when a type outside meshctl's model (a Kubernetes kind) refused
/// the input; its reason is among the problems.
pub fn from_node<'de, T: de::Deserialize<'de>>(
    node: &'de Node,
    rules: &SchemaRules,
    report_unknown_fields: bool,
) -> (Option<T>, Vec<FieldProblem>) {
    let ctx = Ctx {
        problems: RefCell::new(Vec::new()),
        rules,
        report_unknown_fields,
    };
    let root = PathSeg::Root;
    let value = T::deserialize(NodeDe {
        node,
        path: &root,
        ctx: &ctx,
    })
    .ok();
    (value, ctx.problems.into_inner())
}

struct Ctx<'r> {
    problems: RefCell<Vec<FieldProblem>>,
    rules: &'r SchemaRules,
    report_unknown_fields: bool,
}

impl Ctx<'_> {
    fn record(
        &self,
        kind: FieldProblemKind,
        path: String,
        pos: Pos,
        message: String,
        help: Option<String>,
    ) {
        self.problems.borrow_mut().push(FieldProblem {
            kind,
            path,
            pos,
            message,
            help,
        });
    }
}

/// The field path, built on the stack and only turned into a string when a
/// problem needs it.
#[derive(Clone, Copy)]
enum PathSeg<'p> {
    Root,
    Key(&'p PathSeg<'p>, &'p str),
    Index(&'p PathSeg<'p>, usize),
}

impl PathSeg<'_> {
    fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match self {
            PathSeg::Root => {}
            PathSeg::Key(parent, key) => {
                parent.render_into(out);
                push_key(out, key);
            }
            PathSeg::Index(parent, index) => {
                parent.render_into(out);
                out.push_str(&format!("[{index}]"));
            }
        }
    }

    fn child(&self, key: &str) -> String {
        let mut out = self.render();
        push_key(&mut out, key);
        out
    }

    fn field_name(&self) -> String {
        match self {
            PathSeg::Key(_, key) => (*key).to_string(),
            PathSeg::Index(parent, _) => parent.field_name(),
            PathSeg::Root => "the document".to_string(),
        }
    }
}

/// The error type. Problems are recorded in the context, so an error only
/// travels up when a foreign `Deserialize` impl refused a value.
#[derive(Debug)]
pub struct DeError {
    message: String,
    recorded: bool,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        DeError {
            message: message.to_string(),
            recorded: false,
        }
    }
}

struct NodeDe<'de, 'p> {
    node: &'de Node,
    path: &'p PathSeg<'p>,
    ctx: &'p Ctx<'p>,
}

impl<'de, 'p> NodeDe<'de, 'p> {
    fn wrong_type(&self, expected: &str) {
        let found = match &self.node.value {
            Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                format!("{} ({})", self.node.type_name(), self.node.value)
            }
            _ => self.node.type_name().to_string(),
        };
        let help = match (&self.node.value, expected) {
            (Value::Bool(_) | Value::Int(_) | Value::Float(_), "a string") => {
                Some("quote the value to make it a string".to_string())
            }
            (Value::Str(s), "an integer" | "a number") if s.trim().parse::<f64>().is_ok() => {
                Some("remove the quotes to make it a number".to_string())
            }
            _ => None,
        };
        self.ctx.record(
            FieldProblemKind::WrongType,
            self.path.render(),
            self.node.pos,
            format!(
                "{} must be {expected}, found {found}",
                self.path.field_name()
            ),
            help,
        );
    }

    fn seq<V: Visitor<'de>>(&self, items: &'de [Node], visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(SeqDe {
            items: items.iter(),
            index: 0,
            path: self.path,
            ctx: self.ctx,
        })
    }

    fn map<V: Visitor<'de>, I>(&self, entries: I, visitor: V) -> Result<V::Value, DeError>
    where
        I: Iterator<Item = &'de Entry>,
    {
        visitor.visit_map(MapDe {
            entries,
            value: None,
            path: self.path,
            ctx: self.ctx,
        })
    }

    /// An item of a list: a null one is not an absent field but a hole,
    /// which the API server refuses in a list of objects (and Istio's
    /// validation with it: "weight may not be nil").
    fn is_list_item(&self) -> bool {
        matches!(self.path, PathSeg::Index(..))
    }

    /// A foreign `Deserialize` impl refused the value: record it here, once.
    fn note_refusal(&self, error: DeError) -> DeError {
        if !error.recorded {
            self.ctx.record(
                FieldProblemKind::WrongType,
                self.path.render(),
                self.node.pos,
                format!("{}: {}", self.path.field_name(), error.message),
                None,
            );
        }
        DeError {
            message: error.message,
            recorded: true,
        }
    }

    /// Unknown fields, required fields, one-of groups and value bounds of a struct.
    fn check_struct(&self, name: &str, fields: &[&str], entries: &[Entry]) {
        if self.ctx.report_unknown_fields {
            for entry in entries.iter().filter(|e| !fields.contains(&&*e.key)) {
                self.ctx.record(
                    FieldProblemKind::UnknownField,
                    self.path.child(&entry.key),
                    entry.key_pos,
                    format!("unknown field {}", quoted(&entry.key)),
                    Some(suggest(&entry.key, fields)),
                );
            }
        }
        let Some(rules) = self.ctx.rules.for_struct(name) else {
            return;
        };
        let present = |key: &str| {
            entries
                .iter()
                .any(|e| &*e.key == key && e.value.value != Value::Null)
        };
        for required in rules.required.iter().filter(|r| !present(r)) {
            self.ctx.record(
                FieldProblemKind::MissingRequired,
                self.path.child(required),
                self.node.pos,
                format!("missing required field {required:?}"),
                None,
            );
        }
        for group in &rules.exclusive {
            // In document order, so the finding points at the field written second.
            let set: Vec<&Entry> = entries
                .iter()
                .filter(|e| group.iter().any(|g| *g == *e.key) && e.value.value != Value::Null)
                .collect();
            if let [first, second, ..] = set[..] {
                self.ctx.record(
                    FieldProblemKind::Conflict,
                    self.path.child(&second.key),
                    second.key_pos,
                    format!(
                        "only one of {} may be set, found {:?} and {:?}",
                        quoted_list(group),
                        &*first.key,
                        &*second.key
                    ),
                    None,
                );
            }
        }
        for (field, bound) in &rules.bounds {
            if let Some(entry) = entries.iter().find(|e| &*e.key == field)
                && let Some(problem) = bound.violation(&entry.value)
            {
                self.ctx.record(
                    FieldProblemKind::OutOfBounds,
                    self.path.child(field),
                    entry.value.pos,
                    format!("{field} {problem}"),
                    None,
                );
            }
        }
    }
}

fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("{:?}", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "did you mean ...?" for a near miss, otherwise the list of valid names.
pub fn suggest(unknown: &str, candidates: &[&str]) -> String {
    let best = candidates
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&unknown.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, candidate)) if score >= 0.85 => format!("did you mean {candidate:?}?"),
        _ if candidates.is_empty() => "this object takes no fields".to_string(),
        _ => format!("expected one of {}", quoted_list(candidates)),
    }
}

macro_rules! integer {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match integer_of(&self.node.value) {
                Some(i) => match <$ty>::try_from(i) {
                    Ok(v) => visitor.$visit(v),
                    Err(_) => {
                        self.ctx.record(
                            FieldProblemKind::OutOfBounds,
                            self.path.render(),
                            self.node.pos,
                            format!(
                                "{} {} is out of range ({} to {})",
                                self.path.field_name(),
                                i,
                                <$ty>::MIN,
                                <$ty>::MAX
                            ),
                            None,
                        );
                        visitor.$visit(0)
                    }
                },
                None => {
                    self.wrong_type("an integer");
                    visitor.$visit(0)
                }
            }
        }
    };
}

/// An integer, or a number with no fraction (`50.0`): Kubernetes and Istio
/// read an integral number as the integer it is.
fn integer_of(value: &Value) -> Option<i64> {
    match value {
        Value::Int(i) => Some(*i),
        Value::Float(f) if f.fract() == 0.0 && (-9.2e18..9.2e18).contains(f) => Some(*f as i64),
        _ => None,
    }
}

impl<'de, 'p> Deserializer<'de> for NodeDe<'de, 'p> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Str(s) => visitor.visit_borrowed_str(s),
            Value::Seq(items) => self.seq(items, visitor),
            Value::Map(entries) => self.map(entries.iter(), visitor),
        }
        .map_err(|e| self.note_refusal(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Bool(b) => visitor.visit_bool(b),
            _ => {
                self.wrong_type("a boolean");
                visitor.visit_bool(false)
            }
        }
    }

    integer!(deserialize_i8, visit_i8, i8);
    integer!(deserialize_i16, visit_i16, i16);
    integer!(deserialize_i32, visit_i32, i32);
    integer!(deserialize_i64, visit_i64, i64);
    integer!(deserialize_u8, visit_u8, u8);
    integer!(deserialize_u16, visit_u16, u16);
    integer!(deserialize_u32, visit_u32, u32);
    integer!(deserialize_u64, visit_u64, u64);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Int(i) => visitor.visit_f64(i as f64),
            Value::Float(f) => visitor.visit_f64(f),
            _ => {
                self.wrong_type("a number");
                visitor.visit_f64(0.0)
            }
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Str(s) => visitor.visit_borrowed_str(s),
            _ => {
                self.wrong_type("a string");
                visitor.visit_borrowed_str("")
            }
        }
        .map_err(|e| self.note_refusal(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            // Kubernetes drops null fields, so null means absent.
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Seq(items) => self.seq(items, visitor),
            Value::Null => self.seq(&[], visitor),
            _ => {
                self.wrong_type("a list");
                self.seq(&[], visitor)
            }
        }
        .map_err(|e| self.note_refusal(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Map(entries) => self.map(entries.iter(), visitor),
            Value::Null if !self.is_list_item() => self.map([].iter(), visitor),
            _ => {
                self.wrong_type("a mapping");
                self.map([].iter(), visitor)
            }
        }
        .map_err(|e| self.note_refusal(e))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Map(entries) => {
                self.check_struct(name, fields, entries);
                let known = entries.iter().filter(|e| fields.contains(&&*e.key));
                self.map(known, visitor)
            }
            Value::Null if !self.is_list_item() => self.map([].iter(), visitor),
            _ => {
                self.wrong_type("a mapping");
                self.map([].iter(), visitor)
            }
        }
        .map_err(|e| self.note_refusal(e))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let fallback = variants.first().copied().unwrap_or_default();
        let chosen = match &self.node.value {
            Value::Str(s) if variants.contains(&&**s) => &**s,
            Value::Str(s) => {
                self.ctx.record(
                    FieldProblemKind::InvalidValue,
                    self.path.render(),
                    self.node.pos,
                    format!("invalid value {} for {}", quoted(s), self.path.field_name()),
                    Some(suggest(s, variants)),
                );
                fallback
            }
            _ => {
                self.wrong_type(&format!("one of {}", quoted_list(variants)));
                fallback
            }
        };
        let access: BorrowedStrDeserializer<'de, DeError> = BorrowedStrDeserializer::new(chosen);
        visitor.visit_enum(access).map_err(|e| self.note_refusal(e))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

struct SeqDe<'de, 'p> {
    items: std::slice::Iter<'de, Node>,
    index: usize,
    path: &'p PathSeg<'p>,
    ctx: &'p Ctx<'p>,
}

impl<'de> SeqAccess<'de> for SeqDe<'de, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(node) = self.items.next() else {
            return Ok(None);
        };
        let path = PathSeg::Index(self.path, self.index);
        self.index += 1;
        seed.deserialize(NodeDe {
            node,
            path: &path,
            ctx: self.ctx,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'de, 'p, I> {
    entries: I,
    value: Option<&'de Entry>,
    path: &'p PathSeg<'p>,
    ctx: &'p Ctx<'p>,
}

impl<'de, I: Iterator<Item = &'de Entry>> MapAccess<'de> for MapDe<'de, '_, I> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(entry);
        let key: BorrowedStrDeserializer<'de, DeError> = BorrowedStrDeserializer::new(&entry.key);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let entry = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("value without a key"))?;
        let path = PathSeg::Key(self.path, &entry.key);
        seed.deserialize(NodeDe {
            node: &entry.value,
            path: &path,
            ctx: self.ctx,
        })
    }
}

impl Bound {
    /// Why `node` breaks this bound, if it does.
    fn violation(&self, node: &Node) -> Option<String> {
        let count = || match &node.value {
            Value::Str(s) => Some(s.chars().count() as u64),
            Value::Seq(items) => Some(items.len() as u64),
            Value::Map(entries) => Some(entries.len() as u64),
            _ => None,
        };
        let number = || match node.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        };
        let unit = if matches!(node.value, Value::Str(_)) {
            "characters"
        } else {
            "items"
        };
        match self {
            Bound::MinLength(min) => count()
                .filter(|n| n < min)
                .map(|n| format!("has {n} {unit}, fewer than the minimum {min}")),
            Bound::MaxLength(max) => count()
                .filter(|n| n > max)
                .map(|n| format!("has {n} {unit}, more than the maximum {max}")),
            Bound::Minimum(min) => number()
                .filter(|n| n < min)
                .map(|n| format!("is {n}, below the minimum {min}")),
            Bound::Maximum(max) => number()
                .filter(|n| n > max)
                .map(|n| format!("is {n}, above the maximum {max}")),
            Bound::Pattern(regex) => node.as_str().filter(|s| !regex.is_match(s)).map(|s| {
                format!(
                    "{} does not match the pattern {}",
                    quoted(s),
                    regex.as_str()
                )
            }),
            Bound::Each(bound) => match &node.value {
                Value::Seq(items) => items.iter().enumerate().find_map(|(i, item)| {
                    bound
                        .violation(item)
                        .map(|problem| format!("item {i} {problem}"))
                }),
                Value::Map(entries) => entries.iter().find_map(|entry| {
                    let problem = bound.violation(&entry.value)?;
                    Some(format!("value of {} {problem}", quoted(&entry.key)))
                }),
                _ => None,
            },
            Bound::OneOf(allowed) => number().filter(|n| !allowed.contains(n)).map(|n| {
                let allowed: Vec<String> = allowed.iter().map(f64::to_string).collect();
                format!("is {n}, not one of {}", allowed.join(", "))
            }),
            Bound::UniqueKeys(keys) => duplicate_key(items(node)?, keys),
            Bound::UniqueItems => {
                let mut seen = std::collections::HashMap::new();
                items(node)?.iter().enumerate().find_map(|(i, item)| {
                    let first = *seen.entry(key_text(item)).or_insert(i);
                    (first != i).then(|| format!("items {first} and {i} are equal (a set)"))
                })
            }
        }
    }
}

fn items(node: &Node) -> Option<&[Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        _ => None,
    }
}

/// A key field's value as the finding shows it.
fn key_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => quoted(s),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => f.to_string(),
        _ => node.type_name().to_string(),
    }
}

/// The first item of a keyed list whose key fields repeat an earlier item's
/// (an absent field counts as a value of its own, as the API server's
/// defaulted keys would). One pass over the items.
fn duplicate_key(items: &[Node], keys: &[String]) -> Option<String> {
    let mut seen = std::collections::HashMap::new();
    items.iter().enumerate().find_map(|(i, item)| {
        let key: Vec<Option<String>> = keys.iter().map(|k| item.get(k).map(key_text)).collect();
        let first = *seen.entry(key.clone()).or_insert(i);
        (first != i).then(|| {
            let shown: Vec<String> = keys
                .iter()
                .zip(&key)
                .map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("unset")))
                .collect();
            format!("items {first} and {i} share the key {}", shown.join(", "))
        })
    })
}
