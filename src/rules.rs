//! The registry: every rule meshctl has, in one place. `meshctl explain`,
//! `docs/rules.md`, SARIF's rule table and the meta-tests read it.

use crate::report::Rule;

/// All rules, in code order.
pub fn all() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = crate::validate::schema::RULES.to_vec();
    rules.extend(crate::validate::rules::all().into_iter().map(|s| s.rule()));
    rules.push(&crate::validate::rules::VALIDATION_WARNING);
    rules.push(&crate::validate::crd::crd_schema::RULE);
    rules.push(&crate::validate::crd::crd_validation_rule::RULE);
    rules.extend(crate::analyze::rules());
    rules.push(&crate::analyze::suppress::UNUSED_SUPPRESSION);
    rules.push(&crate::analyze::permissions::INSUFFICIENT_PERMISSIONS);
    rules.sort_by_key(|r| (r.code, r.name));
    // A rule group that reads several kinds is listed once per kind.
    rules.dedup_by(|a, b| std::ptr::eq(*a, *b));
    rules
}

/// Codes that several rules share, as istioctl's do: every webhook
/// rejection is IST0106, every validation warning IST0133, and several
/// analyzers report a missing reference as IST0101 or a deprecation as IST0002;
/// meshctl's Gateway API rule groups report what the API server refuses as MSH4001.
pub const SHARED_CODES: &[&str] = &["IST0106", "IST0133", "IST0101", "IST0002", "MSH4001"];

/// The rules with this code (case-insensitive) or name.
pub fn find(code_or_name: &str) -> Vec<&'static Rule> {
    all()
        .into_iter()
        .filter(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
        .collect()
}

/// The rule documentation as Markdown, the source of `docs/rules.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "# meshctl rules\n\nGenerated from the rule registry (`cargo test` checks it is current; \
         `meshctl explain CODE` prints one entry).\n\n| code | name | level | summary |\n| --- | --- | --- | --- |\n",
    );
    for rule in all() {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            rule.code,
            rule.anchor(),
            rule.name,
            rule.level,
            rule.summary
        ));
    }
    for rule in all() {
        out.push('\n');
        out.push_str(&explain(rule));
    }
    out
}

/// One rule's documentation as Markdown.
pub fn explain(rule: &Rule) -> String {
    format!(
        "## {code} {name}\n\ndefault level {level} · reads {kinds}\n\n{summary}\n\n{explanation}\n\nExample (fires at {fires}):\n\n```yaml\n{yaml}```\n",
        code = rule.code,
        name = rule.name,
        level = rule.level,
        kinds = distinct(rule.kinds).join(", "),
        summary = rule.summary,
        explanation = rule.explanation,
        fires = rule
            .example
            .fires_at
            .iter()
            .map(|p| if p.is_empty() {
                "the document".to_string()
            } else {
                format!("`{p}`")
            })
            .collect::<Vec<_>>()
            .join(", "),
        yaml = rule.example.yaml,
    )
}

/// The kind names in their order, each once: two groups serve a `Gateway`.
fn distinct<'a>(kinds: &[&'a str]) -> Vec<&'a str> {
    let mut seen = std::collections::HashSet::new();
    kinds.iter().copied().filter(|k| seen.insert(*k)).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::analyze::test_support::lint;
    use crate::snapshot::MeshConfig;
    use crate::validate::test_support::{VALID_MESH, findings};

    #[test]
    fn codes_and_names_are_unique() {
        let rules = all();
        let names: HashSet<_> = rules.iter().map(|r| r.name).collect();
        assert_eq!(names.len(), rules.len());
        let own: Vec<_> = rules
            .iter()
            .filter(|r| !SHARED_CODES.contains(&r.code))
            .collect();
        let codes: HashSet<_> = own.iter().map(|r| r.code).collect();
        assert_eq!(codes.len(), own.len());
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in all() {
            assert!(
                rule.code.starts_with("IST") || rule.code.starts_with("MSH"),
                "{}",
                rule.code
            );
            assert!(
                !rule.summary.is_empty() && !rule.explanation.is_empty(),
                "{}",
                rule.code
            );
            assert!(!rule.kinds.is_empty(), "{}", rule.code);
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.name
            );
        }
    }

    /// No validate rule fires on a valid resource of every mesh kind.
    #[test]
    fn no_validate_rule_fires_on_valid_resources() {
        assert_eq!(findings(VALID_MESH), "");
    }

    /// Each documented example produces exactly the findings it promises.
    #[test]
    fn every_example_fires_exactly_where_documented() {
        for rule in all() {
            let mut fired: Vec<String> = lint(rule.example.yaml, MeshConfig::default())
                .into_iter()
                .filter(|d| d.rule.name == rule.name)
                .map(|d| d.location.map(|l| l.path).unwrap_or_default())
                .collect();
            fired.sort();
            let mut expected: Vec<String> = rule
                .example
                .fires_at
                .iter()
                .map(|p| p.to_string())
                .collect();
            expected.sort();
            assert_eq!(fired, expected, "example of {}", rule.code);
        }
    }

    #[test]
    fn docs_rules_md_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        if committed != markdown() {
            if std::env::var_os("MESHCTL_BLESS").is_some() {
                std::fs::write(path, markdown()).unwrap();
            } else {
                panic!("docs/rules.md is stale: run `MESHCTL_BLESS=1 cargo test` to regenerate it");
            }
        }
    }
}
