//! Reading a file while passing over the documents a caller already knows
//! by their text: `diff` reads NEW after OLD, and a document written alike
//! on both sides need not be parsed (nor checked) a second time.
//!
//! The documents are found by their `---` lines, which YAML never lets a
//! scalar hold at the start of a line; a file where that would not give
//! the parser's own documents (a JSON stream, `...` ends, directives,
//! carriage returns) is parsed whole, as usual.

use std::ops::Range;

use super::Limits;
use super::node::Pos;
use super::source::SourceFile;
use super::yaml::{
    ParsedDocument, StreamOffset, Window, for_each_document, is_marker, json_stream_starts,
    parse_slice,
};

/// A document of a file: parsed, or recognised by its text.
#[derive(Debug)]
pub enum Streamed<T> {
    Parsed(ParsedDocument),
    /// A document whose text the caller knew: not parsed. `index`, `span`
    /// and `start` are what parsing would have given.
    Known {
        index: usize,
        span: Range<usize>,
        start: Pos,
        value: T,
    },
}

/// Hands over a file's documents in order, as [`for_each_document`] does,
/// except that a document starting at a `---` line whose text `known`
/// recognises is handed over with what `known` returned, unparsed.
pub fn for_each_document_reusing<T>(
    source: &SourceFile,
    limits: &Limits,
    known: impl Fn(&str) -> Option<T>,
    mut sink: impl FnMut(Streamed<T>),
) {
    let text = &source.text();
    let Some(markers) = document_markers(text) else {
        for_each_document(source, limits, |document| sink(Streamed::Parsed(document)));
        return;
    };
    let mut count = 0;
    let mut parsed_up_to = 0;
    for (i, &start) in markers.iter().enumerate() {
        let end = markers.get(i + 1).copied().unwrap_or(text.len());
        let Some(value) = known(&text[start..end]) else {
            continue;
        };
        parse_range(source, parsed_up_to..start, limits, &mut count, &mut sink);
        sink(Streamed::Known {
            index: count,
            span: start..end,
            start: Pos {
                line: source.line_index(start) as u32 + 1,
                column: 1,
            },
            value,
        });
        count += 1;
        parsed_up_to = end;
    }
    parse_range(
        source,
        parsed_up_to..text.len(),
        limits,
        &mut count,
        &mut sink,
    );
}

/// Parses the documents of a stretch of the file that starts at a document
/// marker (or at the start of the file), numbering them from `count` on.
fn parse_range<T>(
    source: &SourceFile,
    range: Range<usize>,
    limits: &Limits,
    count: &mut usize,
    sink: &mut impl FnMut(Streamed<T>),
) {
    if range.is_empty() {
        return;
    }
    let window = Window {
        text: &source.text()[range.clone()],
        at: StreamOffset {
            byte: range.start,
            lines: source.line_index(range.start) as u32,
        },
    };
    parse_slice(window, limits, &mut |document| {
        sink(Streamed::Parsed(document.with_index(*count)));
        *count += 1;
    });
}

/// Where each `---` line starts, when those lines alone tell where the
/// parser's documents start and end: not for a JSON stream, nor a file
/// with `...` document ends (text after one starts a document without a
/// marker), directives (`%YAML`, `%TAG`) or carriage returns.
fn document_markers(text: &str) -> Option<Vec<usize>> {
    if json_stream_starts(text).is_some() || memchr::memchr(b'\r', text.as_bytes()).is_some() {
        return None;
    }
    let bytes = text.as_bytes();
    let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    let mut markers = Vec::new();
    for start in line_starts {
        let line = &bytes[start..];
        if line.first() == Some(&b'%') || is_marker(line, b"...") {
            return None;
        }
        if is_marker(line, b"---") {
            markers.push(start);
        }
    }
    Some(markers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::parse_documents;

    /// Every document, recognised or parsed, as (index, span, start line,
    /// whether it was recognised).
    fn streamed(text: &str, known: impl Fn(&str) -> bool) -> Vec<(usize, Range<usize>, u32, bool)> {
        let source = SourceFile::new("t.yaml", text.to_string());
        let mut out = Vec::new();
        for_each_document_reusing(
            &source,
            &Limits::default(),
            |t| known(t).then_some(()),
            |d| {
                out.push(match d {
                    Streamed::Parsed(d) => (d.index, d.span, d.start.line, false),
                    Streamed::Known {
                        index, span, start, ..
                    } => (index, span, start.line, true),
                });
            },
        );
        out
    }

    fn parsed(text: &str) -> Vec<(usize, Range<usize>, u32, bool)> {
        let source = SourceFile::new("t.yaml", text.to_string());
        parse_documents(&source, &Limits::default())
            .into_iter()
            .map(|d| (d.index, d.span, d.start.line, false))
            .collect()
    }

    const STREAM: &str = "# head\nfirst: 1\n---\na: 1\n# tail of a\n---\n---   \nb: [1,\n  2]\n---\nc: 'unclosed\n---\nd: 4\n";

    /// Index, span and start line of each document.
    fn positions(docs: &[(usize, Range<usize>, u32, bool)]) -> Vec<(usize, Range<usize>, u32)> {
        docs.iter().map(|d| (d.0, d.1.clone(), d.2)).collect()
    }

    #[test]
    fn recognised_documents_stand_where_parsing_puts_them() {
        let all_known = streamed(STREAM, |_| true);
        assert_eq!(positions(&all_known), positions(&parsed(STREAM)));
        // The first document has no marker: it is always parsed.
        assert!(!all_known[0].3 && all_known[1..].iter().all(|d| d.3));
    }

    #[test]
    fn documents_between_recognised_ones_are_parsed_as_in_the_whole_file() {
        let some = streamed(STREAM, |t| t.contains("a: 1") || t.contains("d: 4"));
        assert_eq!(positions(&some), positions(&parsed(STREAM)));
        assert_eq!(some.iter().filter(|d| d.3).count(), 2);
    }

    /// Every manifest of `testdata/`: documents all recognised stand where
    /// parsing the whole file puts them.
    #[test]
    fn every_fixture_is_cut_as_parsing_cuts_it() {
        for (path, text) in crate::loader::testdata_manifests() {
            let all_known = streamed(&text, |_| true);
            assert_eq!(
                positions(&all_known),
                positions(&parsed(&text)),
                "{}",
                path.display()
            );
        }
    }

    #[test]
    fn streams_markers_cannot_split_are_parsed_whole() {
        for text in [
            "a: 1\n...\nb: 2\n---\nc: 3\n",
            "%YAML 1.2\n---\na: 1\n---\nb: 2\n",
            "a: 1\r\n---\r\nb: 2\r\n",
            "{\"a\": 1}\n{\"b\": 2}\n",
        ] {
            assert!(streamed(text, |_| true).iter().all(|d| !d.3), "{text:?}");
            assert_eq!(streamed(text, |_| true), parsed(text), "{text:?}");
        }
    }
}
