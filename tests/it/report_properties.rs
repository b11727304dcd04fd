//! Every output format carries what the input says, whatever characters a
//! key holds (issue 12): controls, DEL, C1, U+0085, U+FFFE, quotes and
//! backslashes in an unknown field's name reach the message and the field
//! path, and each format still parses (JSON, YAML, SARIF, GitLab), stays
//! well-formed (JUnit's XML, GitHub's one line per annotation) or shows no
//! character a terminal would act on (text).

use meshctl::loader::{Limits, LoadedFile, SourceFile, parse_documents};
use meshctl::report::{Diagnostic, Format, Report, Summary, TextStyle, render};
use meshctl::validate::{ValidateOptions, validate};
use proptest::prelude::*;
use serde_json::Value as Json;

/// A key of any characters, biased towards the ones formats trip on.
fn hostile_key() -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        '\u{0}', '\u{7}', '\u{1b}', '\t', '\r', '\n', '\u{7f}', '\u{85}', '\u{9b}', '\u{a0}',
        '\u{2028}', '\u{202e}', '\u{feff}', '\u{fffe}', '\u{ffff}', '"', '\'', '\\', '%', ':', ',',
        '<', '&', '#', '{', '}', '[', ']',
    ]);
    let any_char = prop_oneof![tricky, any::<char>(), prop::char::range('a', 'z')];
    prop::collection::vec(any_char, 1..10).prop_map(|chars| chars.into_iter().collect())
}

/// `text` as a YAML double-quoted scalar that escapes everything outside
/// printable ASCII, so the input itself always reads.
fn double_quoted(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            ' '..='~' => quoted.push(c),
            c => quoted.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    quoted.push('"');
    quoted
}

fn findings(key: &str) -> Vec<Diagnostic> {
    let text = format!(
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: r}}\nspec:\n  hosts: [r]\n  {}: 1\n  http:\n  - route:\n    - destination: {{host: r}}\n",
        double_quoted(key)
    );
    let source = SourceFile::new("in.yaml", text);
    let documents = parse_documents(&source, &Limits::default());
    let options = ValidateOptions {
        default_namespace: "default".into(),
        keep_models: false,
        let_go_texts: false,
        custom_kinds: Default::default(),
    };
    validate(vec![LoadedFile { source, documents }], &options).diagnostics
}

fn rendered(diagnostics: &[Diagnostic], format: Format) -> String {
    let report = Report {
        diagnostics,
        summary: Summary::default(),
        rules: &[],
        root: None,
    };
    let mut out = Vec::new();
    render(&mut out, format, &report).unwrap();
    String::from_utf8(out).expect("every format writes UTF-8")
}

/// Characters XML 1.0 cannot carry, escaped or not.
fn outside_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_format_carries_a_hostile_key_and_still_reads(key in hostile_key()) {
        let diagnostics = findings(&key);
        prop_assume!(!diagnostics.is_empty());
        let json: Json = serde_json::from_str(&rendered(&diagnostics, Format::Json)).unwrap();
        // The field path names the key as written.
        let paths: Vec<&str> = json.as_array().unwrap().iter().filter_map(|f| f["path"].as_str()).collect();
        prop_assert!(paths.iter().any(|p| p.contains(key.as_str())), "{key:?}: {paths:?}");
        let yaml = rendered(&diagnostics, Format::Yaml);
        let from_yaml: Json = yaml_serde::from_str(&yaml).unwrap();
        prop_assert_eq!(&from_yaml, &json, "{}", yaml);
        for format in [Format::Sarif, Format::Gitlab] {
            let text = rendered(&diagnostics, format);
            prop_assert!(serde_json::from_str::<Json>(&text).is_ok(), "{format:?}: {text}");
        }
        let junit = rendered(&diagnostics, Format::Junit);
        prop_assert!(!junit.chars().any(outside_xml), "{junit:?}");
        let github = rendered(&diagnostics, Format::Github);
        prop_assert_eq!(github.lines().count(), diagnostics.len(), "{:?}", github);
        let control = |c: char| c.is_control() && c != '\t';
        prop_assert!(!github.trim_end_matches('\n').chars().any(control), "{github:?}");
        let text = rendered(&diagnostics, Format::Text(TextStyle { color: false, width: 100 }));
        let acts = |c: char| (c.is_control() && !matches!(c, '\n' | '\t')) || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        prop_assert!(!text.chars().any(acts), "{text:?}");
    }
}
