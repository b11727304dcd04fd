//! A small YAML writer for report data. Strings are written as YAML 1.2
//! double-quoted scalars with every character outside YAML's printable set
//! (and the line breaks of YAML 1.1 readers) escaped, so no value can be
//! misread.

use std::fmt::Write as _;

use serde_json::Value as Json;

/// A string as a double-quoted YAML scalar.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            // Outside the printable set (U+FFFE, U+FFFF) or read as a byte
            // order mark.
            '\u{fffe}' | '\u{ffff}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A scalar: strings quoted, anything else as JSON writes it (which YAML reads alike).
fn scalar(value: &Json) -> String {
    match value {
        Json::String(text) => quoted(text),
        other => other.to_string(),
    }
}

pub fn to_yaml(value: &Json) -> String {
    let mut out = String::new();
    match value {
        Json::Array(items) if items.is_empty() => out.push_str("[]\n"),
        Json::Object(map) if map.is_empty() => out.push_str("{}\n"),
        Json::Array(_) | Json::Object(_) => write_block(&mut out, value, 0),
        value => {
            out.push_str(&scalar(value));
            out.push('\n');
        }
    }
    out
}

fn write_block(out: &mut String, value: &Json, indent: usize) {
    let pad = " ".repeat(indent);
    match value {
        Json::Array(items) => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                write_child(out, item, indent + 2, true);
            }
        }
        Json::Object(map) => {
            for (key, item) in map {
                out.push_str(&pad);
                out.push_str(&quoted(key));
                out.push(':');
                write_child(out, item, indent + 2, false);
            }
        }
        _ => {}
    }
}

/// Writes a value after `- ` or `key:`. A mapping inside a list item starts
/// on the dash's line, as kubectl prints it.
fn write_child(out: &mut String, value: &Json, indent: usize, in_list: bool) {
    match value {
        Json::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_block(out, value, indent);
        }
        Json::Object(map) if !map.is_empty() => {
            if in_list {
                out.push(' ');
                let mut nested = String::new();
                write_block(&mut nested, value, indent);
                out.push_str(nested.trim_start());
            } else {
                out.push('\n');
                write_block(out, value, indent);
            }
        }
        Json::Array(_) => out.push_str(" []\n"),
        Json::Object(_) => out.push_str(" {}\n"),
        value => {
            out.push(' ');
            out.push_str(&scalar(value));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_lists_of_mappings_like_kubectl() {
        let value = json!([{"code": "IST0101", "line": 3, "path": null}, {"code": "x: y"}]);
        assert_eq!(
            to_yaml(&value),
            "- \"code\": \"IST0101\"\n  \"line\": 3\n  \"path\": null\n- \"code\": \"x: y\"\n"
        );
        assert_eq!(to_yaml(&json!([])), "[]\n");
    }

    #[test]
    fn characters_outside_yamls_printable_set_are_escaped() {
        let value = json!({"k\u{7f}\u{85}\u{9b}": "a\u{fffe}\u{feff}\u{2028}\u{1b}\"\\"});
        assert_eq!(
            to_yaml(&value),
            "\"k\\x7F\\N\\x9B\": \"a\\uFFFE\\uFEFF\\L\\x1B\\\"\\\\\"\n"
        );
    }

    proptest::proptest! {
        /// Whatever the keys and values, the output reads back as the
        /// same data.
        #[test]
        fn output_reads_back_the_same(
            entries in proptest::collection::btree_map("(?s).{0,12}", "(?s).{0,12}", 0..6),
            items in proptest::collection::vec("(?s).{0,12}", 0..4),
        ) {
            let value = json!([entries, {"items": items, "n": 3, "ok": true, "none": null}]);
            let text = to_yaml(&value);
            let read: Json = yaml_serde::from_str(&text)
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}: {text}")))?;
            proptest::prop_assert_eq!(read, value);
        }
    }
}
