//! Property tests of the loader: it never panics, whatever the bytes, and it
//! reads back exactly the values that JSON and meshctl's YAML writer wrote.

use meshctl::loader::{Limits, Node, SourceFile, parse_documents};
use meshctl::report::to_yaml;
use proptest::prelude::*;
use serde_json::Value as Json;

fn parse(text: &str) -> Vec<Option<Node>> {
    let source = SourceFile::new("prop.yaml", text.to_string());
    parse_documents(&source, &Limits::default())
        .into_iter()
        .map(|d| d.root)
        .collect()
}

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        "[ -~]{0,12}".prop_map(Json::String),
        "\\PC{0,6}".prop_map(Json::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::btree_map("[a-zA-Z0-9_./-]{1,10}", inner, 0..5)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = parse(&text);
    }

    #[test]
    fn never_panics_on_yaml_shaped_noise(text in "([ \\-:\\[\\]{},&*!|>'\"#?\\n\\t]|[a-z0-9]){0,300}") {
        let _ = parse(&text);
    }

    #[test]
    fn json_text_reads_back_as_written(value in json_value()) {
        // Only mappings can be documents; wrap scalars and lists.
        let document = serde_json::json!({"value": value});
        let roots = parse(&serde_json::to_string_pretty(&document).unwrap());
        prop_assert_eq!(roots.len(), 1);
        prop_assert_eq!(roots[0].as_ref().unwrap().to_json(), document);
    }

    #[test]
    fn yaml_writer_output_reads_back_as_written(value in json_value()) {
        let document = serde_json::json!({"value": value});
        let roots = parse(&to_yaml(&document));
        prop_assert_eq!(roots[0].as_ref().unwrap().to_json(), document);
    }
}

/// A flow collection under `key` (at column `key_column`, nested under
/// `spec:` when that is not 0) whose item lines start at the columns given,
/// closed on a line of its own at `close_column`, then a block key and a
/// second document. Returns the text and where each item starts
/// (1-based line and column).
fn flow_document(
    map: bool,
    key_column: usize,
    items: &[(String, usize)],
    close_column: usize,
) -> (String, Vec<(u32, u32)>) {
    let pad = |n: usize| " ".repeat(n);
    let mut text = String::from("kind: ConfigMap\n");
    if key_column > 0 {
        text.push_str("spec:\n");
    }
    let (open, close) = if map { ('{', '}') } else { ('[', ']') };
    text.push_str(&format!("{}key: {open}\n", pad(key_column)));
    let mut places = Vec::new();
    for (item, column) in items {
        let line = text.lines().count() as u32 + 1;
        places.push((line, *column as u32 + 1));
        let item = if map {
            format!("{item}: v")
        } else {
            item.clone()
        };
        text.push_str(&format!("{}{item},\n", pad(*column)));
    }
    text.push_str(&format!("{}{close}\n", pad(close_column)));
    text.push_str(&format!("{}after: 1\n---\nsecond: 2\n", pad(key_column)));
    (text, places)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Item lines of a flow collection at or left of its key's column,
    /// which kubectl reads as if indented, read as the same document
    /// written with them indented; every item, the key after the
    /// collection and the second document keep their places in the file
    /// as written.
    #[test]
    fn flow_items_at_or_left_of_their_key_read_as_indented(
        map in any::<bool>(),
        key_column in prop::sample::select(vec![0usize, 2, 4]),
        items in prop::collection::vec(("[a-z][a-z0-9]{0,6}", 0usize..=4), 1..6),
        close_column in 0usize..=6,
    ) {
        let mut items: Vec<(String, usize)> = items
            .into_iter()
            .enumerate()
            .map(|(i, (name, column))| (format!("{name}{i}"), column.min(key_column)))
            .collect();
        items.dedup_by(|a, b| a.0 == b.0);
        let (written, places) = flow_document(map, key_column, &items, close_column);
        let indented: Vec<(String, usize)> =
            items.iter().map(|(item, _)| (item.clone(), key_column + 2)).collect();
        let (canonical, _) = flow_document(map, key_column, &indented, key_column + 1);
        let source = SourceFile::new("flow.yaml", written.clone());
        let documents = parse_documents(&source, &Limits::default());
        let expected = parse(&canonical);
        prop_assert_eq!(documents.len(), 2);
        for (document, expected) in documents.iter().zip(&expected) {
            prop_assert!(document.problems.is_empty(), "{:?}\n{written}", document.problems);
            prop_assert_eq!(
                document.root.as_ref().map(Node::to_json),
                expected.as_ref().map(Node::to_json)
            );
        }
        let root = documents[0].root.as_ref().unwrap();
        let prefix = if key_column > 0 { "spec." } else { "" };
        for (i, ((item, _), (line, column))) in items.iter().zip(&places).enumerate() {
            let path = if map {
                format!("{prefix}key.{item}")
            } else {
                format!("{prefix}key[{i}]")
            };
            let pos = root.locate(&path);
            prop_assert_eq!((pos.line, pos.column), (*line, *column), "{} in\n{}", path, written);
        }
        let after = root.locate(&format!("{prefix}after"));
        let after_line = written.lines().position(|l| l.trim_start().starts_with("after:")).unwrap();
        prop_assert_eq!((after.line, after.column), (after_line as u32 + 1, key_column as u32 + 1));
        let marker = written.find("---").unwrap();
        prop_assert_eq!(documents[0].span.end, marker);
        prop_assert_eq!(documents[1].span.start, marker);
        let second = documents[1].root.as_ref().unwrap().locate("second");
        prop_assert_eq!(second.line, after_line as u32 + 3);
    }
}
