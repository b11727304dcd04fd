//! Writes a rewritten object as kubectl and istioctl print it: YAML block
//! style with lists at their key's indentation, keys sorted, strings plain
//! unless YAML would read them as something else; or indented JSON.

use serde_json::Value as Json;

use super::tree::sorted;

/// The object as YAML, keys sorted, ending with a newline.
pub fn yaml(value: Json) -> String {
    let mut out = String::with_capacity(8 * 1024);
    match &value {
        Json::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Json::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&inline(other, 0));
            out.push('\n');
        }
    }
    out
}

/// The object as indented JSON, keys sorted, ending with a newline.
pub fn json(value: Json) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes a mapping's entries in key order (as `sigs.k8s.io/yaml` does).
fn write_map(out: &mut String, map: &serde_json::Map<String, Json>, indent: usize) {
    let mut entries: Vec<(&String, &Json)> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            push_indent(out, indent);
        }
        out.push_str(&scalar(key));
        out.push(':');
        write_value(out, value, indent, true);
    }
}

fn write_seq(out: &mut String, items: &[Json], indent: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            push_indent(out, indent);
        }
        out.push('-');
        write_value(out, item, indent + 2, false);
    }
}

/// Writes what follows `key:` (`in_map`) or `-`, then the line break. A
/// mapping in a list item starts on the dash's line; a list under a key
/// starts at the key's indentation, as go-yaml writes them.
fn write_value(out: &mut String, value: &Json, indent: usize, in_map: bool) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            if in_map {
                out.push('\n');
                push_indent(out, indent + 2);
                write_map(out, map, indent + 2);
            } else {
                out.push(' ');
                write_map(out, map, indent);
            }
        }
        Json::Array(items) if !items.is_empty() => {
            out.push('\n');
            push_indent(out, indent);
            write_seq(out, items, indent);
        }
        Json::String(text) if is_block_text(text) => {
            out.push(' ');
            write_block_text(out, text, if in_map { indent + 2 } else { indent });
            return;
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other, indent));
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn inline(value: &Json, _indent: usize) -> String {
    match value {
        Json::Null => "null".to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => scalar(s),
        Json::Array(_) => "[]".to_string(),
        Json::Object(_) => "{}".to_string(),
    }
}

/// Multi-line text goes in a literal block, as go-yaml prints it, when
/// every line can be written back as it is.
fn is_block_text(text: &str) -> bool {
    text.contains('\n')
        && !text.trim_end_matches('\n').is_empty()
        && text.chars().all(|c| c == '\n' || !c.is_control())
        // The block's indentation is read from its first non-empty line.
        && !text.split('\n').find(|l| !l.is_empty()).is_some_and(|l| l.starts_with([' ', '\t']))
        && !text.contains(" \n")
        && !text.contains("\t\n")
}

fn write_block_text(out: &mut String, text: &str, indent: usize) {
    out.push('|');
    let body = text.trim_end_matches('\n');
    match text.len() - body.len() {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    out.push('\n');
    for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// A string as a YAML scalar: plain when YAML reads it back as the same
/// string, single-quoted when only its characters are in the way, double
/// quoted (JSON escapes) when it would read as another type or holds
/// control characters.
pub fn scalar(text: &str) -> String {
    if is_plain_word(text) {
        return text.to_string();
    }
    if text.chars().any(|c| c.is_control()) || reads_as_other_type(text) {
        return Json::String(text.to_string()).to_string();
    }
    if plain_is_safe(text) {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', "''"))
}

/// The common case, decided in one pass: a word starting with a letter,
/// made of letters, digits and `-._/`, that is none of YAML's other words.
fn is_plain_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'/'))
        // Every YAML word (`false`, `null`, `yes`...) is five letters or fewer.
        && (bytes.len() > 5 || !reads_as_other_type(text))
}

/// YAML 1.1 and 1.2 words and numbers Kubernetes would not read as a string.
fn reads_as_other_type(text: &str) -> bool {
    const WORDS: [&str; 22] = [
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
        "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    ];
    // `<<` is the merge key; `=` YAML 1.1's value key.
    if WORDS.contains(&text) || matches!(text, "OFF" | "y" | "Y" | "n" | "N" | "<<" | "=") {
        return true;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let numeric = unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(c, '.' | '_' | 'e' | 'E' | '+' | '-' | 'x' | 'o' | ':')
        });
    numeric
        || matches!(
            unsigned,
            ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
        )
}

fn plain_is_safe(text: &str) -> bool {
    let first = text.chars().next().unwrap_or(' ');
    let starts_ok =
        !matches!(
            first,
            '-' | '?'
                | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
                | ' '
        ) || (matches!(first, '-' | '?' | ':') && text.len() > 1 && !text[1..].starts_with(' '));
    starts_ok
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.starts_with("---")
        && !text.starts_with("...")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn strings_are_quoted_only_when_yaml_would_misread_them() {
        assert_eq!(scalar("hello"), "hello");
        assert_eq!(scalar("15001"), "\"15001\"");
        assert_eq!(scalar("*"), "'*'");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("-p"), "-p");
        assert_eq!(
            scalar("--log_output_level=default:info"),
            "--log_output_level=default:info"
        );
        assert_eq!(scalar("a: b"), "'a: b'");
        assert_eq!(scalar("1.0"), "\"1.0\"");
        assert_eq!(
            scalar("$(POD_NAMESPACE).svc.cluster.local"),
            "$(POD_NAMESPACE).svc.cluster.local"
        );
    }

    /// Strings that stress quoting: YAML's other types, indicators,
    /// comments, line breaks, spaces at the edges.
    fn tricky_string() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(vec![
                "",
                "true",
                "no",
                "~",
                "null",
                "1",
                "-1",
                "0x1F",
                "1e3",
                "12:30",
                "2024-01-01",
                "*",
                "&a",
                "!tag",
                "- item",
                "? q",
                "a: b",
                "a #b",
                "#c",
                "'",
                "\"",
                "{x}",
                "[y]",
                "%p",
                "@",
                "`",
                "=",
                " lead",
                "trail ",
                "line\nbreak\n",
                "two\n\nblank",
                "tab\tin",
                "é",
                "---",
                "...",
            ])
            .prop_map(str::to_string),
            "[ -~\n]{0,12}",
        ]
        // The loader takes a quoted `<<` key for a merge key too.
        .prop_filter("not a merge key", |s| s != "<<")
    }

    fn value() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            tricky_string().prop_map(Json::String),
            any::<i32>().prop_map(Json::from),
            any::<bool>().prop_map(Json::Bool),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
                proptest::collection::btree_map(tricky_string(), inner, 0..4)
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn what_is_written_reads_back_the_same(map in proptest::collection::btree_map(tricky_string(), value(), 1..5)) {
            let value = Json::Object(map.into_iter().collect());
            let text = yaml(value.clone());
            let source = crate::loader::SourceFile::new("out", text.clone());
            let documents = crate::loader::parse_documents(&source, &crate::loader::Limits::default());
            prop_assert_eq!(documents.len(), 1, "{}", text);
            prop_assert!(documents[0].problems.is_empty(), "{}: {:?}", text, documents[0].problems);
            prop_assert_eq!(documents[0].root.as_ref().map(crate::loader::Node::to_json), Some(value), "{}", text);
        }
    }

    #[test]
    fn lists_sit_at_their_keys_indentation_and_text_goes_in_blocks() {
        let value = json!({"b": [{"name": "x", "value": "{}\n"}], "a": {"c": [], "d": 1}});
        assert_eq!(
            yaml(value),
            "a:\n  c: []\n  d: 1\nb:\n- name: x\n  value: |\n    {}\n"
        );
        assert_eq!(yaml(json!({"v": "[\n  x\n]"})), "v: |-\n  [\n    x\n  ]\n");
    }
}
