//! The spanned document tree: every mapping key, value and sequence item
//! remembers where it stood in the source.

use std::fmt;
use std::ops::Range;

use compact_str::CompactString;

/// A 1-based line and 1-based column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// One YAML/JSON node with its position. Scalars are already resolved to the
/// type Kubernetes gives them when it turns YAML into JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string scalar (quoted, block, or plain text that is no other type).
    /// Short strings (most keys and values) live inline, unallocated.
    Str(CompactString),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry. Keys are always strings, as in Kubernetes JSON: a plain
/// `8080:` key is the string "8080".
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: CompactString,
    pub key_pos: Pos,
    pub value: Node,
}

impl Node {
    pub fn new(pos: Pos, value: Value) -> Self {
        Node { pos, value }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping node.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| &*e.key == key)
    }

    /// The value under `key` in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The string value under `key`, if it is a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// The position of the field a path such as `spec.http[0].route[1].weight`
    /// names: the key's position for a mapping field, the item's for an index.
    /// When the path leaves the tree, the deepest position reached is returned,
    /// so a diagnostic about a missing field points at its parent.
    pub fn locate(&self, path: &str) -> Pos {
        self.locate_node(path).0
    }

    /// Like [`Node::locate`], but a scalar field points at its value (a
    /// finding about `timeout: 10` points at `10`), a mapping or list field
    /// at its key.
    pub fn locate_value(&self, path: &str) -> Pos {
        match self.locate_node(path) {
            (_, Some(node)) if !matches!(node.value, Value::Map(_) | Value::Seq(_)) => node.pos,
            (pos, _) => pos,
        }
    }

    /// The position `locate` gives, and the node at the end of the path if
    /// the whole path exists.
    fn locate_node(&self, path: &str) -> (Pos, Option<&Node>) {
        let mut node = self;
        let mut pos = self.pos;
        for segment in parse_path(path) {
            let next = match segment {
                Segment::Key(key) => node.entry(key).map(|e| (e.key_pos, &e.value)),
                Segment::Index(i) => match &node.value {
                    Value::Seq(items) => items.get(i).map(|n| (n.pos, n)),
                    _ => None,
                },
            };
            match next {
                Some((p, n)) => {
                    pos = p;
                    node = n;
                }
                None => return (pos, None),
            }
        }
        (pos, Some(node))
    }

    /// The field path of the key (or list item) at `pos`, the inverse of
    /// [`Node::locate`]. A walk of the tree: for findings, not hot paths.
    pub fn path_of(&self, pos: Pos) -> Option<String> {
        fn walk(node: &Node, pos: Pos, path: &mut String) -> bool {
            let len = path.len();
            match &node.value {
                Value::Map(entries) => {
                    for entry in entries {
                        push_key(path, &entry.key);
                        if entry.key_pos == pos || walk(&entry.value, pos, path) {
                            return true;
                        }
                        path.truncate(len);
                    }
                }
                Value::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        path.push_str(&format!("[{i}]"));
                        if item.pos == pos || walk(item, pos, path) {
                            return true;
                        }
                        path.truncate(len);
                    }
                }
                _ => {}
            }
            false
        }
        let mut path = String::new();
        walk(self, pos, &mut path).then_some(path)
    }

    /// The type name used in messages ("a string", "a mapping", ...).
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The JSON value the node stands for (what Kubernetes reads it as).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::Str(s) => Json::String(s.to_string()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// Number of nodes in this subtree (itself included).
    pub fn size(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::size).sum(),
            Value::Map(entries) => entries.iter().map(|e| 1 + e.value.size()).sum(),
            _ => 0,
        }
    }

    /// The bytes of text (strings and keys) in this node and below: what a
    /// copy of it costs beyond its nodes.
    pub fn text_bytes(&self) -> usize {
        match &self.value {
            Value::Str(text) => text.len(),
            Value::Seq(items) => items.iter().map(Node::text_bytes).sum(),
            Value::Map(entries) => entries
                .iter()
                .map(|e| e.key.len() + e.value.text_bytes())
                .sum(),
            _ => 0,
        }
    }
}

impl fmt::Display for Value {
    /// A short rendering of a scalar for messages; collections are summarised.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => f.write_str(&quoted(s)),
            Value::Seq(_) => f.write_str("a list"),
            Value::Map(_) => f.write_str("a mapping"),
        }
    }
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `a.b[2].c` into segments. Keys that contain dots (annotations) can
/// be written in brackets with quotes: `metadata.annotations["sidecar.istio.io/inject"]`.
fn parse_path(path: &str) -> impl Iterator<Item = Segment<'_>> {
    let mut rest = path;
    std::iter::from_fn(move || {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if rest.is_empty() {
            return None;
        }
        if let Some(inner) = rest.strip_prefix("[\"") {
            let end = inner.find("\"]")?;
            rest = &inner[end + 2..];
            return Some(Segment::Key(&inner[..end]));
        }
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            let index = inner[..end].parse().ok()?;
            rest = &inner[end + 1..];
            return Some(Segment::Index(index));
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = &rest[..end];
        rest = &rest[end..];
        Some(Segment::Key(key))
    })
}

/// Appends a mapping key to a path, bracketing keys that contain a dot or bracket.
pub fn push_key(path: &mut String, key: &str) {
    if key.contains(['.', '[', ']']) {
        path.push_str("[\"");
        path.push_str(key);
        path.push_str("\"]");
    } else {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    }
}

/// Characters of a value from the input quoted whole in a message; a
/// longer one is cut, so a hostile megabyte-long value cannot flood the
/// output.
const QUOTED_CHARS: usize = 80;

/// A value from the input in quotes, as a message shows it: at most
/// [`QUOTED_CHARS`] characters, then how long it was.
pub fn quoted(value: &str) -> String {
    match cut(value) {
        None => format!("{value:?}"),
        Some(head) => format!("{head:?}... ({} bytes in all)", value.len()),
    }
}

/// Text from the input shown unquoted in a message (a CRD rule's own
/// message, say): cut as [`quoted`] cuts.
pub fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    match cut(text) {
        None => std::borrow::Cow::Borrowed(text),
        Some(head) => std::borrow::Cow::Owned(format!("{head}... ({} bytes in all)", text.len())),
    }
}

/// Characters of a whole message past which it is cut, whatever it holds.
const MESSAGE_CHARS: usize = 2_000;

/// A message with every quoted value in it (`"..."`, as `{:?}` writes
/// values) of more than [`QUOTED_CHARS`] characters cut as [`quoted`]
/// cuts, and the whole cut at [`MESSAGE_CHARS`]: the one place that keeps
/// a message short, whichever check wrote it and however.
pub fn with_long_values_cut(message: String) -> String {
    let long: Vec<Range<usize>> = long_quoted_values(&message).collect();
    let message = if long.is_empty() {
        message
    } else {
        let mut short = String::with_capacity(message.len().min(4 * MESSAGE_CHARS));
        let mut from = 0;
        for inner in long {
            let value = &message[inner.clone()];
            short.push_str(&message[from..inner.start]);
            short.push_str(without_half_escape(
                cut_at(value, QUOTED_CHARS).unwrap_or(value),
            ));
            short.push_str(&format!(
                "\"... ({} characters in all)",
                value.chars().count()
            ));
            from = inner.end + 1;
        }
        short.push_str(&message[from..]);
        short
    };
    match cut_at(&message, MESSAGE_CHARS) {
        None => message,
        Some(head) => format!("{head}... ({} bytes in all)", message.len()),
    }
}

/// `text` without a backslash it ends on unpaired: cut in half, an escape
/// would run into the closing quote.
fn without_half_escape(text: &str) -> &str {
    let backslashes = text.len() - text.trim_end_matches('\\').len();
    if backslashes % 2 == 1 {
        &text[..text.len() - 1]
    } else {
        text
    }
}

/// The insides of the quoted values of `text` longer than [`QUOTED_CHARS`].
fn long_quoted_values(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut rest = 0;
    std::iter::from_fn(move || {
        loop {
            let open = rest + text[rest..].find('"')?;
            let inner = open + 1;
            let mut escaped = false;
            let close = text[inner..].char_indices().find_map(|(i, c)| {
                let end = !escaped && c == '"';
                escaped = !escaped && c == '\\';
                end.then_some(inner + i)
            })?;
            rest = close + 1;
            if text[inner..close].chars().nth(QUOTED_CHARS).is_some() {
                return Some(inner..close);
            }
        }
    })
}

/// The first `chars` characters of a longer text.
fn cut_at(text: &str, chars: usize) -> Option<&str> {
    let (end, _) = text.char_indices().nth(chars)?;
    Some(&text[..end])
}

/// The first [`QUOTED_CHARS`] characters of a longer value.
fn cut(value: &str) -> Option<&str> {
    let (end, _) = value.char_indices().nth(QUOTED_CHARS)?;
    Some(&value[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_values_in_a_message_are_cut_and_short_ones_kept() {
        let host = "x".repeat(100_000);
        let message = format!("domain name {host:?} invalid (label {:?} invalid)", "ok");
        let cut = with_long_values_cut(message);
        assert_eq!(
            cut,
            format!(
                "domain name \"{}\"... (100000 characters in all) invalid (label \"ok\" invalid)",
                "x".repeat(QUOTED_CHARS)
            )
        );
        // Escapes stay whole, and a quote inside a value does not end it.
        let tricky = format!(
            "{:?} then {:?}",
            format!("{}\"\\", "y".repeat(79)),
            "z".repeat(200)
        );
        let cut = with_long_values_cut(tricky);
        // The cut falls inside the first value's `\"`: the half escape goes.
        assert!(
            cut.starts_with(&format!("\"{}\"... (83 characters", "y".repeat(79))),
            "{cut}"
        );
        assert!(cut.ends_with("(200 characters in all)"), "{cut}");
        // Text outside quotes is cut as a whole past its bound.
        let unquoted = "w ".repeat(MESSAGE_CHARS);
        assert!(with_long_values_cut(unquoted).ends_with("... (4000 bytes in all)"));
        assert_eq!(with_long_values_cut("short".into()), "short");
    }
}
