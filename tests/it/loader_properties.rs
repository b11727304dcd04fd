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
