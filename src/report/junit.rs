//! JUnit XML, as GitLab's test reports and Jenkins read it: a test suite
//! per file, a test case per resource with findings (a failed test), a
//! failure element per finding. Clean runs
//! have one passing case, so the report never reads as "no tests ran".

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Diagnostic, Report, detailed_message};

pub fn render(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let mut suites: BTreeMap<&str, BTreeMap<String, Vec<&Diagnostic>>> = BTreeMap::new();
    for d in report.diagnostics {
        let file = d
            .location
            .as_ref()
            .map_or("(no file)", |l| l.source.name.as_str());
        let case = d
            .origin
            .as_ref()
            .map_or_else(|| String::from("(document)"), ToString::to_string);
        suites
            .entry(file)
            .or_default()
            .entry(case)
            .or_default()
            .push(d);
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let stats = &report.summary.stats;
    if suites.is_empty() {
        let _ = write!(
            xml,
            "<testsuites name=\"meshctl\" tests=\"1\" failures=\"0\">\n  \
             <testsuite name=\"meshctl\" tests=\"1\" failures=\"0\" errors=\"0\">\n    \
             <testcase name=\"{} resources in {} files\" classname=\"meshctl\"/>\n  \
             </testsuite>\n</testsuites>\n",
            stats.resources, stats.files
        );
        return out.write_all(xml.as_bytes());
    }
    let cases: usize = suites.values().map(BTreeMap::len).sum();
    // Every case listed has a finding: each is a failed test.
    let failures = cases;
    let _ = writeln!(
        xml,
        "<testsuites name=\"meshctl\" tests=\"{cases}\" failures=\"{failures}\">"
    );
    for (file, resources) in &suites {
        write_suite(&mut xml, file, resources);
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

/// The report of a run that could not be done: one case in error with
/// the reason, so a CI step reading the file shows why rather than failing
/// to parse an empty one.
pub fn render_failure(out: &mut dyn Write, reason: &str) -> io::Result<()> {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"meshctl\" tests=\"1\" failures=\"0\" errors=\"1\">\n  \
         <testsuite name=\"meshctl\" tests=\"1\" failures=\"0\" errors=\"1\">\n    \
         <testcase name=\"meshctl run\" classname=\"meshctl\">\n      \
         <error message=\"{}\">{}</error>\n    \
         </testcase>\n  </testsuite>\n</testsuites>\n",
        escape(reason.lines().next().unwrap_or_default()),
        escape(reason)
    );
    out.write_all(xml.as_bytes())
}

fn write_suite(xml: &mut String, file: &str, resources: &BTreeMap<String, Vec<&Diagnostic>>) {
    // JUnit counts failed tests, not failure elements: a resource with two
    // findings is one failed case.
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
        escape(file),
        resources.len(),
        resources.len()
    );
    for (resource, findings) in resources {
        let _ = writeln!(
            xml,
            "    <testcase name=\"{}\" classname=\"{}\">",
            escape(resource),
            escape(file)
        );
        for d in findings {
            let place = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}: ", l.source.name, l.pos.line, l.pos.column))
                .unwrap_or_default();
            let _ = writeln!(
                xml,
                "      <failure message=\"{}\" type=\"{} {}\">{}{}</failure>",
                escape(&d.message),
                d.level,
                d.rule.code,
                escape(&place),
                escape(&detailed_message(d))
            );
        }
        xml.push_str("    </testcase>\n");
    }
    xml.push_str("  </testsuite>\n");
}

/// XML text and attribute escapes; characters XML 1.0 cannot carry at all
/// (control characters other than tab and newlines, U+FFFE and U+FFFF) are
/// written as their escape (`\u{1b}`), as messages quote them.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                escaped.extend(c.escape_unicode());
            }
            c => escaped.push(c),
        }
    }
    escaped
}
