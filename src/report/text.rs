//! The human report: one miette snippet per finding, with a caret under the
//! field, then a summary table.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::ops::Range;
use std::sync::Arc;

use comfy_table::{Table, presets};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    NamedSource, Severity, SourceCode, SourceSpan, SpanContents,
};

use super::{Diagnostic, Level, RunStats, Summary, terminal_safe};
use crate::loader::{Pos, SourceFile};

/// Colour and width of the text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextStyle {
    pub color: bool,
    pub width: usize,
}

pub fn render_text(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    summary: &Summary,
    style: TextStyle,
) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::none()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(CONTEXT_LINES);
    let mut lines = KnownLines::default();
    for diagnostic in diagnostics {
        let mut rendered = String::new();
        handler
            .render_report(&mut rendered, &Shown::new(diagnostic, &mut lines))
            .map_err(io::Error::other)?;
        out.write_all(rendered.as_bytes())?;
        writeln!(out)?;
    }
    write_summary(out, diagnostics, summary)?;
    write_passed_over(out, summary)
}

/// What the run did not show: hidden findings, skipped files. A clean
/// summary must not hide that something was left out.
fn write_passed_over(out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
    let lines = [
        (
            summary.hidden,
            "finding",
            "below --output-threshold not shown",
        ),
        (
            summary.not_manifests,
            "file",
            "skipped: not Kubernetes manifests",
        ),
        (
            summary.not_regular,
            "file",
            "skipped: not regular files (FIFOs, sockets, devices)",
        ),
        (
            summary.templates,
            "file",
            "skipped: templates (render them and pipe the output in)",
        ),
    ];
    for (count, noun, what) in lines.into_iter().filter(|line| line.0 > 0) {
        writeln!(out, "{} {what}.", plural(count, noun))?;
    }
    Ok(())
}

fn write_summary(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    summary: &Summary,
) -> io::Result<()> {
    let resources = plural(summary.stats.resources, "resource");
    let files = plural(summary.stats.files, "file");
    if diagnostics.is_empty() && summary.hidden > 0 {
        writeln!(
            out,
            "Nothing at or above --output-threshold in {resources} ({files})."
        )?;
        return write_not_checked(out, &summary.stats);
    }
    if diagnostics.is_empty() && summary.stats.resources == 0 {
        // An empty folder or a filter that left nothing must not read as a pass.
        writeln!(out, "Nothing was checked: no resources in {files}.")?;
        return write_not_checked(out, &summary.stats);
    }
    if diagnostics.is_empty() {
        writeln!(out, "No problems found in {resources} ({files}).")?;
        return write_not_checked(out, &summary.stats);
    }
    let mut table = Table::new();
    table.load_style(presets::ASCII_MARKDOWN);
    table.set_header(["code", "level", "count", "rule"]);
    let mut rows: Vec<(&str, Level, usize, &str)> = Vec::new();
    for d in diagnostics {
        match rows
            .iter_mut()
            .find(|r| r.3 == d.rule.name && r.1 == d.level)
        {
            Some(row) => row.2 += 1,
            None => rows.push((d.rule.code, d.level, 1, d.rule.name)),
        }
    }
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)).then(a.3.cmp(b.3)));
    for (code, level, count, name) in rows {
        table.add_row([
            code.to_string(),
            level.to_string(),
            count.to_string(),
            name.to_string(),
        ]);
    }
    writeln!(out, "{table}")?;
    let count = |level| diagnostics.iter().filter(|d| d.level == level).count();
    writeln!(
        out,
        "{}, {}, {} in {resources} ({files}).",
        plural(count(Level::Error), "error"),
        plural(count(Level::Warning), "warning"),
        plural(count(Level::Info), "info"),
    )?;
    write_not_checked(out, &summary.stats)
}

/// The resources only parsed, so that a kind no rule reads never looks
/// checked: `3 resources not checked: Certificate (cert-manager.io/v1) x3; ...`.
fn write_not_checked(out: &mut dyn Write, stats: &RunStats) -> io::Result<()> {
    match not_checked_line(stats) {
        Some(line) => writeln!(out, "{line}"),
        None => Ok(()),
    }
}

/// The summary's line for resources only parsed, so that a kind no rule
/// reads never looks checked (in machine formats it goes to stderr).
pub fn not_checked_line(stats: &RunStats) -> Option<String> {
    if stats.not_checked.is_empty() {
        return None;
    }
    let total = stats.not_checked.iter().map(|n| n.count).sum();
    let kinds: Vec<String> = stats
        .not_checked
        .iter()
        .map(|n| {
            let kind = format!("{} ({})", n.kind, n.api_version);
            format!("{} x{}", terminal_safe(&kind), n.count)
        })
        .collect();
    Some(format!(
        "{} not checked: {}; add their CRDs with --crd",
        plural(total, "resource"),
        kinds.join(", ")
    ))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A finding as miette wants to see it.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<NamedSource<SourceText>>,
    span: Option<SourceSpan>,
}

impl<'a> Shown<'a> {
    fn new(diagnostic: &'a Diagnostic, lines: &mut KnownLines) -> Self {
        let located = diagnostic.location.as_ref().map(|l| {
            let lines = lines.of(&l.source);
            let start = lines.byte_offset(l.pos);
            let token = l.source.shown_within(start..start + MAX_TOKEN_BYTES).1;
            let len = token_len(token.split('\n').next().unwrap_or_default());
            let (text, span) = SourceText::around(lines, start..start + len, l.pos);
            let name = terminal_safe(&l.source.name).into_owned();
            (NamedSource::new(name, text), span)
        });
        let (source, span) = located.map_or((None, None), |(s, span)| (Some(s), Some(span)));
        Shown {
            diagnostic,
            source,
            span,
        }
    }
}

/// Bytes of the key or scalar starting `line`: up to `: `, a flow
/// delimiter, a comment or the end of the line; a quoted token up to its
/// closing quote. One pass that stops there: a finding on a long line
/// costs its token, not the rest of the line.
fn token_len(line: &str) -> usize {
    let bytes = line.as_bytes();
    if let Some(&quote @ (b'"' | b'\'')) = bytes.first() {
        return memchr::memchr(quote, &bytes[1..]).map_or(line.len(), |end| end + 2);
    }
    let end = (0..bytes.len())
        .find(|&i| match bytes[i] {
            b',' | b']' | b'}' => true,
            b':' => bytes.get(i + 1) == Some(&b' '),
            b' ' => bytes.get(i + 1) == Some(&b'#'),
            _ => false,
        })
        .unwrap_or(line.len());
    let token = line[..end].trim_end();
    let token = token.strip_suffix(':').unwrap_or(token);
    token.len().max(1)
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

/// Every string from the input is escaped on its way to the terminal:
/// message, origin, help, field path, file name and source snippet.
impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = terminal_safe(&self.diagnostic.message);
        match &self.diagnostic.origin {
            Some(origin) => write!(f, "{message} ({})", terminal_safe(&origin.to_string())),
            None => f.write_str(&message),
        }
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        // The level in words: colour and the x/!/i marks are not for everyone.
        Some(Box::new(format!(
            "{} {} {}",
            d.level, d.rule.code, d.rule.name
        )))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.diagnostic.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(terminal_safe(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let path = &self.diagnostic.location.as_ref()?.path;
        let label = (!path.is_empty()).then(|| terminal_safe(path).into_owned());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label, span,
        ))))
    }
}

/// Lines shown before and after a finding's own.
const CONTEXT_LINES: usize = 1;

/// Characters of one line a snippet shows. A longer line (minified JSON, a
/// flow list of thousands of hosts) is cut to a window around the finding,
/// and a context line to its start: shown whole for each of its findings,
/// one long line would multiply the output.
const SHOWN_LINE_CHARS: usize = 160;

/// Marks where a shown line was cut.
const CUT: &str = "…";

/// The lines of a file around one finding, as miette source code: read
/// once (from disk, for a file whose text is not held), shown with their
/// control characters replaced (see [`SourceFile::shown`]) and long lines
/// cut. miette is handed spans in this text; line numbers and the
/// finding's column are the file's.
struct SourceText {
    name: String,
    lines: String,
    /// 0-based line of the file the text starts at.
    first_line: usize,
    /// The finding in `lines`, and its place in the file.
    finding: SourceSpan,
    at: Pos,
}

impl SourceText {
    /// The text around `span` (bytes of `file`, at `at`), and the span's
    /// place in it. A long line is read only as far as it is shown.
    fn around(known: &mut KnownLines, span: Range<usize>, at: Pos) -> (Self, SourceSpan) {
        let file = known.file.clone().expect("lines of a file");
        let finding_line = at.line.saturating_sub(1) as usize;
        let first_line = finding_line.saturating_sub(CONTEXT_LINES);
        let mut lines = String::new();
        let mut finding = SourceSpan::new(0.into(), 0);
        for index in first_line..=finding_line + CONTEXT_LINES {
            let line_start = known.line(index).start;
            let next = known.line(index + 1).start;
            if line_start >= next && index > finding_line {
                break;
            }
            let (column, len) = if index == finding_line {
                (span.start, span.len())
            } else {
                (line_start, 0)
            };
            let from = column.saturating_sub(LINE_WINDOW_BYTES).max(line_start);
            let to = (column + LINE_WINDOW_BYTES).min(next);
            let (read_from, text) = file.shown_within(from..to);
            let body = text.trim_end_matches(['\n', '\r']);
            let column = column.saturating_sub(read_from).min(body.len());
            let cut = (read_from > line_start, to < next);
            let (shown, local) = cut_around(body, column, len, cut);
            if index == finding_line {
                finding = SourceSpan::new((lines.len() + local.start).into(), local.len());
            }
            lines.push_str(&shown);
            lines.push('\n');
        }
        let text = SourceText {
            name: file.name.clone(),
            lines,
            first_line,
            finding,
            at,
        };
        (text, finding)
    }
}

/// Bytes read for the token a finding points at (it is underlined).
const MAX_TOKEN_BYTES: usize = 1024;

/// The lines of the file whose findings are being rendered, each found
/// once: findings come in file order, many on one line, and finding where
/// a line starts or whether it is ASCII walks through it.
#[derive(Default)]
struct KnownLines {
    file: Option<Arc<SourceFile>>,
    lines: HashMap<usize, KnownLine>,
}

#[derive(Clone, Copy)]
struct KnownLine {
    start: usize,
    /// Bytes up to the line feed.
    len: usize,
    ascii: bool,
}

impl KnownLines {
    /// The lines of `file`, forgetting another file's.
    fn of(&mut self, file: &Arc<SourceFile>) -> &mut Self {
        if !self.file.as_ref().is_some_and(|f| Arc::ptr_eq(f, file)) {
            *self = KnownLines {
                file: Some(file.clone()),
                lines: HashMap::new(),
            };
        }
        self
    }

    /// The 0-based line `index` (past the last line: empty, at the end).
    fn line(&mut self, index: usize) -> KnownLine {
        let file = self.file.as_ref().expect("lines of a file");
        *self.lines.entry(index).or_insert_with(|| {
            let start = file.line_start(index);
            let rest = file.rest_of_line(start);
            KnownLine {
                start,
                len: rest.len(),
                ascii: rest.is_ascii(),
            }
        })
    }

    /// The byte offset of `at` (its column counted in characters, clamped
    /// to the end of its line), as [`SourceFile::byte_offset`] finds it.
    fn byte_offset(&mut self, at: Pos) -> usize {
        let line = self.line(at.line.saturating_sub(1) as usize);
        let column = at.column.saturating_sub(1) as usize;
        if line.ascii {
            return line.start + column.min(line.len);
        }
        let file = self.file.as_ref().expect("lines of a file");
        file.byte_offset(at.line, at.column)
    }
}

/// Bytes of a line read for a snippet, on each side of the finding: the
/// characters shown take at most four bytes each.
const LINE_WINDOW_BYTES: usize = 4 * SHOWN_LINE_CHARS;

/// `line`, or a window of it of at most [`SHOWN_LINE_CHARS`] characters
/// around the bytes `column..column + len`, and where those bytes are in
/// what is shown (cut to the window). `line` may itself be a window of a
/// longer line, cut before or after (`cut`), which is marked as well.
fn cut_around(
    line: &str,
    column: usize,
    len: usize,
    (cut_before, cut_after): (bool, bool),
) -> (Cow<'_, str>, Range<usize>) {
    if !cut_before && !cut_after && line.chars().count() <= SHOWN_LINE_CHARS {
        return (Cow::Borrowed(line), column..column + len);
    }
    // A third of the window before the finding, the rest from it on.
    let before: Vec<usize> = line[..column].char_indices().map(|(i, _)| i).collect();
    let from = before
        .len()
        .checked_sub(SHOWN_LINE_CHARS / 3)
        .map_or(0, |i| before[i]);
    let to = line[from..]
        .char_indices()
        .nth(SHOWN_LINE_CHARS)
        .map_or(line.len(), |(i, _)| from + i);
    let mut shown = String::new();
    if from > 0 || cut_before {
        shown.push_str(CUT);
    }
    let local_start = shown.len() + column - from;
    shown.push_str(&line[from..to]);
    if to < line.len() || cut_after {
        shown.push_str(CUT);
    }
    let local_end = local_start + len.min(to.saturating_sub(column));
    (Cow::Owned(shown), local_start..local_end.max(local_start))
}

impl SourceCode for SourceText {
    /// miette's own `read_span` on the text, with the file's line numbers,
    /// and for the finding itself (which miette's header names) the file's
    /// column, whatever was cut before it.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents =
            self.lines
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let column = if *span == self.finding && context_lines_before == 0 {
            self.at.column.saturating_sub(1) as usize
        } else {
            contents.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line() + self.first_line,
            column,
            contents.line_count() + self.first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::Pos;
    use crate::report::{Example, Rule};

    const fn test_rule(name: &'static str) -> Rule {
        Rule {
            code: "MSH9999",
            name,
            level: Level::Error,
            summary: "",
            kinds: &["*"],
            explanation: "",
            example: Example {
                yaml: "",
                fires_at: &[],
            },
        }
    }

    static RULE: Rule = test_rule("test-rule");
    static SAME_CODE: Rule = test_rule("another-test-rule");

    #[test]
    fn summary_rows_are_per_rule_even_when_rules_share_a_code() {
        let findings = [
            Diagnostic::new(&RULE, "a"),
            Diagnostic::new(&SAME_CODE, "b"),
            Diagnostic::new(&RULE, "c"),
        ];
        let mut out = Vec::new();
        write_summary(&mut out, &findings, &Summary::default()).unwrap();
        let summary = String::from_utf8(out).unwrap();
        assert!(
            summary.contains("| MSH9999 | Error | 1     | another-test-rule |"),
            "{summary}"
        );
        assert!(
            summary.contains("| MSH9999 | Error | 2     | test-rule         |"),
            "{summary}"
        );
    }

    fn render_at(text: &str, line: u32, column: u32) -> String {
        let source = SourceFile::new("f.yaml", text.to_string());
        let diagnostic = Diagnostic::new(&RULE, "here").at(&source, Pos { line, column }, "x");
        let mut out = Vec::new();
        let style = TextStyle {
            color: false,
            width: 80,
        };
        render_text(&mut out, &[diagnostic], &Summary::default(), style).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn long_lines_are_cut_around_the_finding_and_keep_its_column() {
        let hosts: Vec<String> = (0..2000).map(|i| format!("hé{i}")).collect();
        let text = format!(
            "before: {}\nhosts: [{}]\nafter: 1\n",
            "x".repeat(5000),
            hosts.join(",")
        );
        let line = text.lines().nth(1).unwrap();
        let column = line[..line.find("hé1500,").unwrap()].chars().count() + 1;
        let shown = render_at(&text, 2, column as u32);
        assert!(shown.contains(&format!("[f.yaml:2:{column}]")), "{shown}");
        // Every shown line is cut to the window, the finding's around it.
        for line in shown.lines() {
            assert!(line.chars().count() < SHOWN_LINE_CHARS + 20, "{line}");
        }
        let finding_line = shown.lines().find(|l| l.starts_with(" 2 | ")).unwrap();
        assert!(finding_line.starts_with(" 2 | …") && finding_line.ends_with('…'));
        assert!(shown.contains(" 1 | before: xxx") && shown.contains(" 3 | after: 1"));
        // The underline is under the token.
        let under = shown.lines().find(|l| l.contains('^')).unwrap();
        let token_at = finding_line.find("hé1500").unwrap();
        let under_at = under.find('^').unwrap();
        let chars = |s: &str, at: usize| s[..at].chars().count();
        assert_eq!(
            chars(finding_line, token_at),
            chars(under, under_at),
            "{shown}"
        );
    }

    #[test]
    fn snippets_keep_file_line_numbers_at_the_edges() {
        let text: String = (1..=40).map(|i| format!("key{i}: value{i}\n")).collect();
        let first = render_at(&text, 1, 1);
        assert!(
            first.contains("[f.yaml:1:1]") && first.contains(" 1 | key1: value1"),
            "{first}"
        );
        let middle = render_at(&text, 25, 8);
        assert!(
            middle.contains("[f.yaml:25:8]") && middle.contains("25 | key25: value25"),
            "{middle}"
        );
        assert!(
            middle.contains("24 | key24") && middle.contains("26 | key26"),
            "{middle}"
        );
        let last = render_at(&text, 40, 7);
        assert!(
            last.contains("[f.yaml:40:7]") && last.contains("40 | key40: value40"),
            "{last}"
        );
    }
}
