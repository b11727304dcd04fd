//! YAML (and JSON, which YAML 1.2 reads) into spanned [`Node`] trees, one per
//! document, from saphyr-parser's event stream.
//!
//! Parsing never fails: every problem (syntax, duplicate key, a bound
//! exceeded) becomes a [`LoadProblem`] with a position, and parsing resumes at
//! the next `---` after a syntax error so the documents after it still load.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use compact_str::CompactString;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

use super::Limits;
use super::flow_indent::Reindented;
use super::node::{Entry, Node, Pos, Value};
use super::source::SourceFile;

/// One document of a stream. `root` is `None` when the document was empty or
/// could not be read (its problems say why).
#[derive(Debug)]
pub struct ParsedDocument {
    /// 0-based index of the document in its file.
    pub index: usize,
    pub start: Pos,
    /// The document's bytes in the file: from its `---` (or its first
    /// content, for a first document without one) to where the next
    /// document starts, or past its `...`, or the end of the file. Comments
    /// between two documents belong to the first; those before the first
    /// document belong to none.
    pub span: Range<usize>,
    pub root: Option<Node>,
    pub problems: Vec<LoadProblem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoadProblem {
    pub kind: ProblemKind,
    pub pos: Pos,
    /// Where the field a problem repeats stands (for a duplicate key, its
    /// first occurrence, which stays in the tree).
    pub related: Option<Pos>,
    pub message: String,
    pub help: Option<String>,
}

impl LoadProblem {
    /// A bound exceeded, with the flag that raises it.
    pub(super) fn limit(pos: Pos, message: String, flag: &str) -> Self {
        LoadProblem {
            kind: ProblemKind::LimitExceeded,
            pos,
            related: None,
            message,
            help: Some(format!(
                "raise the bound with {flag} if this input is trusted"
            )),
        }
    }
}

/// A document past `--max-document-bytes`, from `pos` on.
pub(super) fn document_too_large(pos: Pos, limits: &Limits) -> LoadProblem {
    let message = format!(
        "document is larger than {} bytes",
        limits.max_document_bytes
    );
    LoadProblem::limit(pos, message, "--max-document-bytes")
}

/// Text that is not UTF-8, after the `valid` bytes of a stretch starting
/// at `at`.
pub(super) fn not_utf8_problem(valid: &[u8], at: StreamOffset) -> LoadProblem {
    let before = String::from_utf8_lossy(valid);
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    LoadProblem {
        kind: ProblemKind::Syntax,
        pos: Pos {
            line: at.lines + line,
            column,
        },
        related: None,
        message: "the file is not UTF-8 text".into(),
        help: Some("Kubernetes manifests must be UTF-8".into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Syntax,
    DuplicateKey,
    LimitExceeded,
}

/// Parses every document of a file.
pub fn parse_documents(source: &SourceFile, limits: &Limits) -> Vec<ParsedDocument> {
    let mut documents = Vec::new();
    for_each_document(source, limits, |document| documents.push(document));
    documents
}

/// Parses a file's documents one at a time, handing each to `sink` as soon
/// as it is complete, so that a caller that is done with a document before
/// the next holds one tree at a time, however large the file. A stream of
/// JSON values (`jq -c '.items[]'`), which kubectl reads, is one document
/// per value.
pub fn for_each_document(
    source: &SourceFile,
    limits: &Limits,
    mut sink: impl FnMut(ParsedDocument),
) {
    let mut count = 0;
    let mut counted = |document: ParsedDocument| {
        sink(document.with_index(count));
        count += 1;
    };
    let text = source.text();
    let starts = json_stream_starts(text).unwrap_or_else(|| vec![0]);
    let mut lines = 0;
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let window = Window {
            text: &text[start..end],
            at: StreamOffset { byte: start, lines },
        };
        parse_slice(window, limits, &mut counted);
        lines += memchr::memchr_iter(b'\n', window.text.as_bytes()).count() as u32;
    }
}

/// A stretch of a file's text that starts at the start of a line, and
/// where it stands in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Window<'t> {
    pub(super) text: &'t str,
    pub(super) at: StreamOffset,
}

impl Window<'_> {
    fn end(&self) -> usize {
        self.at.byte + self.text.len()
    }

    /// The first document marker (`---` at the start of a line) after the
    /// line holding byte `from` (of the file), which is line `line`.
    fn next_document_marker(&self, from: usize, line: u32) -> Option<StreamOffset> {
        let bytes = self.text.as_bytes();
        let (mut at, mut line) = (from.checked_sub(self.at.byte)?, line);
        loop {
            at += memchr::memchr(b'\n', bytes.get(at..)?)? + 1;
            line += 1;
            if is_marker(&bytes[at..], b"---") {
                return Some(StreamOffset {
                    byte: self.at.byte + at,
                    lines: line - 1,
                });
            }
        }
    }
}

/// Whether a line starts with the document marker `marker` (`---` or
/// `...`): followed by a blank or the line's end.
pub(super) fn is_marker(line: &[u8], marker: &[u8]) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| matches!(rest.first(), None | Some(b' ' | b'\t' | b'\n' | b'\r')))
}

/// Parses the documents of a window, resuming after a syntax error at the
/// next document marker.
pub(super) fn parse_slice(
    window: Window<'_>,
    limits: &Limits,
    sink: &mut dyn FnMut(ParsedDocument),
) {
    let mut offset = window.at;
    loop {
        let text = &window.text[offset.byte - window.at.byte..];
        let Some((failed_document_line, mut failed)) =
            parse_stream(text, offset, limits, None, sink)
        else {
            break;
        };
        // Resume at the first document marker after the start of the
        // document that failed: the documents after it may be fine, even
        // when the error swallowed them (an unclosed quote or bracket).
        let resume = window.next_document_marker(failed.span.start, failed_document_line);
        failed.span.end = resume.map_or(window.end(), |r| r.byte);
        match reindented_documents(window, &failed, failed_document_line, limits) {
            Some(documents) => documents.into_iter().for_each(&mut *sink),
            None => sink(failed),
        }
        let Some(resume) = resume else {
            break;
        };
        offset = resume;
    }
}

/// Where each value of a stream of two or more JSON objects or arrays
/// starts (the start of its line), when the text is one: nothing but
/// whitespace between the values, and each on a line of its own.
pub(super) fn json_stream_starts(text: &str) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    let first = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if !matches!(bytes[first], b'{' | b'[') {
        return None;
    }
    let mut starts = vec![0];
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut line_start = 0;
    let mut value_ended_on_line = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' if depth > 0 => in_string = true,
            b'{' | b'[' => {
                if depth == 0 && i > first {
                    if value_ended_on_line {
                        return None;
                    }
                    starts.push(line_start);
                }
                depth += 1;
            }
            b'}' | b']' if depth > 0 => {
                depth -= 1;
                value_ended_on_line |= depth == 0;
            }
            b'\n' => {
                line_start = i + 1;
                value_ended_on_line = false;
            }
            _ if depth == 0 && !b.is_ascii_whitespace() => return None,
            _ => {}
        }
    }
    (starts.len() > 1).then_some(starts)
}

/// Parses again the document that `parse_documents` found at `span`
/// (starting on line `line`), with the same positions: for recovering a
/// position when a finding needs one, after the tree was let go.
pub fn reparse_document(source: &SourceFile, span: &Range<usize>, line: u32) -> Option<Node> {
    // From the start of its line, so that columns come out right.
    let (from, text) = source.lines_of(span)?;
    let window = Window {
        text: &text,
        at: StreamOffset {
            byte: from,
            lines: line.saturating_sub(1),
        },
    };
    let mut root = None;
    let failed = parse_stream(window.text, window.at, &Limits::default(), None, &mut |d| {
        root = root.take().or(d.root);
    });
    if let Some((failed_line, mut failed)) = failed {
        failed.span = span.clone();
        root = reindented_documents(window, &failed, failed_line, &Limits::default())?
            .into_iter()
            .find_map(|d| d.root);
    }
    root
}

/// The documents of a document the reader refused for the indentation of
/// a line inside a flow collection, read again as kubectl reads them (see
/// [`Reindented`]) with the positions of the file as written; `None` when
/// that is not why it failed, or it still does not parse.
fn reindented_documents(
    window: Window<'_>,
    failed: &ParsedDocument,
    failed_line: u32,
    limits: &Limits,
) -> Option<Vec<ParsedDocument>> {
    let indentation = failed
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::Syntax && p.message.ends_with("invalid indentation"));
    if !indentation {
        return None;
    }
    // From the start of its line (line `failed_line`), so that columns
    // come out right.
    let start = failed.span.start.checked_sub(window.at.byte)?;
    let before = window.text.as_bytes().get(..start)?;
    let from = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let end = failed.span.end.checked_sub(window.at.byte)?;
    let reindented = Reindented::of(window.text.get(from..end)?)?;
    let offset = StreamOffset {
        byte: window.at.byte + from,
        lines: failed_line.saturating_sub(1),
    };
    let mut documents = Vec::new();
    let refused = parse_stream(
        &reindented.text,
        offset,
        limits,
        Some(&reindented),
        &mut |d| documents.push(d),
    );
    refused.is_none().then_some(documents)
}

const UNKNOWN_ANCHOR: &str = "alias to an unknown anchor";

/// Where a re-started parse begins: parser positions are relative to it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct StreamOffset {
    pub(super) byte: usize,
    /// Lines before the slice.
    pub(super) lines: u32,
}

/// Parses one stream slice, handing each complete document to `sink`.
/// When a syntax error stops it, records the error on the current document
/// and returns that document (for the caller to end where parsing resumes)
/// with the line it started on.
fn parse_stream(
    text: &str,
    offset: StreamOffset,
    limits: &Limits,
    reindented: Option<&Reindented>,
    sink: &mut dyn FnMut(ParsedDocument),
) -> Option<(u32, ParsedDocument)> {
    let mut builder = DocumentBuilder::new(limits, offset, text, reindented);
    for event in Parser::new_from_str(text) {
        match event {
            Ok((event, span)) => {
                if let Some(done) = builder.handle(event, span) {
                    sink(done);
                }
            }
            Err(error) => {
                let started = builder.start.line.max(offset.lines + 1);
                let mut doc = builder.abandon();
                doc.problems.push(syntax_problem(text, &error, offset));
                return Some((started, doc));
            }
        }
    }
    None
}

fn syntax_problem(text: &str, error: &ScanError, offset: StreamOffset) -> LoadProblem {
    let marker = error.marker();
    let (mut line, mut column) = (marker.line(), marker.col());
    if error.info().contains("found a tab") {
        // The scanner marks where the token it was reading started, which
        // may be the line before the tab: point at the tab itself.
        (line, column) = first_tab_from(text, line, column).unwrap_or((line, column));
    }
    let pos = Pos {
        line: line as u32 + offset.lines,
        column: column as u32 + 1,
    };
    if error.info().ends_with("found unknown anchor") {
        // The reader's words for what the tree builder also finds (an
        // anchor of another document): the builder's words, wherever found.
        return LoadProblem {
            kind: ProblemKind::Syntax,
            pos,
            related: None,
            message: UNKNOWN_ANCHOR.into(),
            help: None,
        };
    }
    if error.info() == "recursion limit exceeded" {
        // The scanner's own bound on `[`/`{` nesting; no flag can raise it.
        return LoadProblem {
            kind: ProblemKind::LimitExceeded,
            pos,
            related: None,
            message: "flow collections ([...], {...}) nest deeper than 255 levels, \
                      the YAML reader's fixed bound"
                .into(),
            help: Some("nest fewer levels; no flag raises this bound".into()),
        };
    }
    LoadProblem {
        kind: ProblemKind::Syntax,
        pos,
        related: None,
        message: format!("YAML syntax error: {}", error.info()),
        help: Some(
            "check the indentation and quoting on this line and the one before it; \
             tabs cannot indent YAML"
                .to_string(),
        ),
    }
}

/// The first tab at or after the 1-based `line` and 0-based `column` of
/// `text`, on that line or the next, in the same coordinates.
fn first_tab_from(text: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let mut lines = text.split('\n').skip(line.saturating_sub(1));
    let same: String = lines.next()?.chars().skip(column).collect();
    if let Some(at) = same.find('\t') {
        return Some((line, column + same[..at].chars().count()));
    }
    let next = lines.next()?;
    let at = next.find('\t')?;
    Some((line + 1, next[..at].chars().count()))
}

impl ParsedDocument {
    pub(super) fn with_index(mut self, index: usize) -> Self {
        self.index = index;
        self
    }
}

/// An open collection. Its children wait on the builder's shared stacks
/// (from `start` on) until it closes, and then move into one allocation of
/// exactly their number: no growing vectors, no slack per node.
enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        start: usize,
    },
    Map {
        pos: Pos,
        anchor: usize,
        start: usize,
        key: Option<(CompactString, Pos)>,
    },
}

/// Builds one document at a time from parser events.
struct DocumentBuilder<'l> {
    limits: &'l Limits,
    offset: StreamOffset,
    bytes: ByteOffsets<'l>,
    stack: Vec<Frame>,
    /// Children of the open sequences, innermost last.
    items: Vec<Node>,
    /// Entries of the open mappings, innermost last.
    entries: Vec<Entry>,
    root: Option<Node>,
    start: Pos,
    start_char: usize,
    /// Byte offset of the document's start in the file.
    start_byte: usize,
    problems: Vec<LoadProblem>,
    /// Anchored nodes of the current document, with their sizes.
    anchors: HashMap<usize, Anchored>,
    /// What aliases have copied so far in this document: nodes, and bytes
    /// of text (one alias of a 1 MB string is small in nodes, not in bytes).
    alias_nodes: usize,
    alias_bytes: usize,
    /// Set once the document failed a bound: the rest of it is consumed
    /// without building.
    skipping: bool,
    failed: bool,
    /// Where a quoted `"<<"` key stands: a key like any other, not a merge.
    quoted_merge_keys: Vec<Pos>,
    /// The lines moved right when the text parsed is a re-indented copy.
    reindented: Option<&'l Reindented>,
}

/// An anchored node and what one copy of it costs.
struct Anchored {
    node: Node,
    nodes: usize,
    bytes: usize,
}

impl<'l> DocumentBuilder<'l> {
    fn new(
        limits: &'l Limits,
        offset: StreamOffset,
        text: &'l str,
        reindented: Option<&'l Reindented>,
    ) -> Self {
        DocumentBuilder {
            limits,
            offset,
            bytes: ByteOffsets::new(text),
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            root: None,
            start: Pos::default(),
            start_char: 0,
            start_byte: offset.byte,
            problems: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            alias_bytes: 0,
            skipping: false,
            failed: false,
            quoted_merge_keys: Vec::new(),
            reindented,
        }
    }

    fn pos(&self, span: &Span) -> Pos {
        let line = span.start.line();
        let shift = self
            .reindented
            .map_or(0, |r| r.shift(line.saturating_sub(1)));
        Pos {
            line: line as u32 + self.offset.lines,
            column: span.start.col().saturating_sub(shift) as u32 + 1,
        }
    }

    /// Feeds one event; returns a finished document at its end.
    fn handle(&mut self, event: Event<'_>, span: Span) -> Option<ParsedDocument> {
        match event {
            Event::DocumentStart(_) => {
                self.start = self.pos(&span);
                self.start_char = span.start.index();
                self.start_byte = self.byte(span.start.index());
                None
            }
            Event::DocumentEnd => Some(self.finish(span)),
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            _ if self.skipping => None,
            event => {
                // Character counts never exceed byte counts, so this cheap
                // test is exact enough to stop a huge document early.
                if span.start.index().saturating_sub(self.start_char)
                    > self.limits.max_document_bytes
                {
                    self.exceed_document_size(span);
                } else {
                    self.build(event, span);
                }
                None
            }
        }
    }

    fn build(&mut self, event: Event<'_>, span: Span) {
        let pos = self.pos(&span);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    if text == "<<" && style != ScalarStyle::Plain {
                        // A quoted `'<<'` is a plain key, not a merge.
                        self.quoted_merge_keys.push(pos);
                    }
                    *key = Some((text.into(), pos));
                    return;
                }
                let node = Node::new(pos, resolve_scalar(&text, style, tag.as_deref()));
                self.remember(anchor, &node);
                self.push(node);
            }
            Event::Alias(id) => self.alias(id, pos),
            Event::SequenceStart(anchor, _) => self.open(Frame::Seq {
                pos,
                anchor,
                start: self.items.len(),
            }),
            Event::MappingStart(anchor, _) => self.open(Frame::Map {
                pos,
                anchor,
                start: self.entries.len(),
                key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            _ => {}
        }
    }

    fn open(&mut self, frame: Frame) {
        if self.stack.len() >= self.limits.max_depth {
            let pos = match &frame {
                Frame::Seq { pos, .. } | Frame::Map { pos, .. } => *pos,
            };
            self.fail(
                pos,
                format!(
                    "document nests deeper than {} levels",
                    self.limits.max_depth
                ),
                "--max-depth",
            );
            self.skipping = true;
            return;
        }
        if let Some(Frame::Map { key: None, pos, .. }) = self.stack.last() {
            // A collection used as a mapping key (`? [a, b]: c`): Kubernetes
            // cannot read it either.
            let pos = *pos;
            self.problems.push(LoadProblem {
                kind: ProblemKind::Syntax,
                pos,
                related: None,
                message: "a mapping key must be a string, not a list or mapping".into(),
                help: None,
            });
            self.failed = true;
            self.skipping = true;
            return;
        }
        self.stack.push(frame);
    }

    fn close(&mut self) {
        let node = match self.stack.pop() {
            Some(Frame::Seq { pos, anchor, start }) => {
                let items = self.items.drain(start..).collect();
                let node = Node::new(pos, Value::Seq(items));
                self.remember(anchor, &node);
                node
            }
            Some(Frame::Map {
                pos, anchor, start, ..
            }) => {
                let entries = self.entries.drain(start..).collect();
                let entries = self.finish_mapping(entries);
                let node = Node::new(pos, Value::Map(entries));
                self.remember(anchor, &node);
                node
            }
            None => return,
        };
        self.push(node);
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map { key, .. }) => {
                if let Some((key, key_pos)) = key.take() {
                    self.entries.push(Entry {
                        key,
                        key_pos,
                        value: node,
                    });
                }
            }
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            let anchored = Anchored {
                node: node.clone(),
                nodes: node.size(),
                bytes: node.text_bytes(),
            };
            self.anchors.insert(anchor, anchored);
        }
    }

    /// Expands an alias by copying the anchored node, within the alias budget
    /// (the defence against "billion laughs" documents).
    fn alias(&mut self, id: usize, pos: Pos) {
        let Some(anchored) = self.anchors.get(&id) else {
            self.fail(pos, UNKNOWN_ANCHOR.into(), "");
            return;
        };
        self.alias_nodes = self.alias_nodes.saturating_add(anchored.nodes);
        self.alias_bytes = self.alias_bytes.saturating_add(anchored.bytes);
        let over = if self.alias_nodes > self.limits.max_alias_nodes {
            Some((
                format!("more than {} nodes", self.limits.max_alias_nodes),
                "--max-alias-nodes",
            ))
        } else if self.alias_bytes > self.limits.max_document_bytes {
            // Expanded text counts against the document's own bound.
            Some((
                format!("more than {} bytes of text", self.limits.max_document_bytes),
                "--max-document-bytes",
            ))
        } else {
            None
        };
        if let Some((what, flag)) = over {
            self.fail(pos, format!("aliases expand to {what}"), flag);
            self.skipping = true;
            return;
        }
        let mut copy = anchored.node.clone();
        copy.pos = pos;
        if let Some(Frame::Map {
            key: key @ None, ..
        }) = self.stack.last_mut()
        {
            // An alias used as a key: take its text.
            *key = Some((copy.value.to_string().trim_matches('"').into(), pos));
            return;
        }
        self.push(copy);
    }

    /// Applies `<<` merge keys, and reports and drops repeated keys (the
    /// first stays, so the rest of the document can still be checked).
    fn finish_mapping(&mut self, mut entries: Vec<Entry>) -> Vec<Entry> {
        if entries.iter().any(|e| self.is_merge(e)) {
            entries = self.merge_keys(entries);
        }
        let duplicates = duplicate_keys(&entries);
        for &(ref key, first, again) in &duplicates {
            self.problems.push(LoadProblem {
                kind: ProblemKind::DuplicateKey,
                pos: again,
                related: Some(first),
                message: format!(
                    "duplicate key {key:?} (first defined at line {})",
                    first.line
                ),
                help: Some("Kubernetes rejects a mapping that repeats a key; keep one".into()),
            });
        }
        if !duplicates.is_empty() {
            let repeated: Vec<Pos> = duplicates.iter().map(|d| d.2).collect();
            entries.retain(|e| !repeated.contains(&e.key_pos));
        }
        entries
    }

    fn is_merge(&self, entry: &Entry) -> bool {
        &*entry.key == "<<" && !self.quoted_merge_keys.contains(&entry.key_pos)
    }

    /// YAML merge keys (`<<: *defaults`): entries of the merged mappings fill
    /// in keys the mapping does not set itself, as Kubernetes' YAML reader
    /// does; like it, a merge of anything but a mapping or a list of
    /// mappings is an error.
    fn merge_keys(&mut self, entries: Vec<Entry>) -> Vec<Entry> {
        let (merges, mut own): (Vec<Entry>, Vec<Entry>) =
            entries.into_iter().partition(|e| self.is_merge(e));
        let mut seen: HashSet<CompactString> = own.iter().map(|e| e.key.clone()).collect();
        for merge in merges {
            let sources = match merge.value.value {
                Value::Map(entries) => vec![entries],
                Value::Seq(items) if items.iter().all(|n| matches!(n.value, Value::Map(_))) => {
                    items
                        .into_iter()
                        .filter_map(|n| match n.value {
                            Value::Map(entries) => Some(entries),
                            _ => None,
                        })
                        .collect()
                }
                _ => {
                    self.fail(
                        merge.value.pos,
                        "a merge key (<<) takes a mapping or a list of mappings".into(),
                        "",
                    );
                    Vec::new()
                }
            };
            for entry in sources.into_iter().flatten() {
                if seen.insert(entry.key.clone()) {
                    own.push(entry);
                }
            }
        }
        own
    }

    fn exceed_document_size(&mut self, span: Span) {
        let pos = self.pos(&span);
        self.failed = true;
        self.problems.push(document_too_large(pos, self.limits));
        self.skipping = true;
        self.stack.clear();
    }

    fn fail(&mut self, pos: Pos, what: String, flag: &str) {
        self.failed = true;
        self.problems.push(if flag.is_empty() {
            LoadProblem {
                kind: ProblemKind::Syntax,
                pos,
                related: None,
                message: what,
                help: None,
            }
        } else {
            LoadProblem::limit(pos, what, flag)
        });
    }

    /// Byte offset in the file of a character index of the slice parsed.
    fn byte(&mut self, char_index: usize) -> usize {
        let byte = self.bytes.of(char_index);
        let byte = self.reindented.map_or(byte, |r| r.original_byte(byte));
        self.offset.byte + byte
    }

    fn finish(&mut self, end: Span) -> ParsedDocument {
        let root = self.root.take();
        let failed = self.failed;
        // The end is the next document's `---` (or the end of the stream),
        // unless the document closes itself with `...`.
        let explicit_end = self
            .bytes
            .text
            .get(self.bytes.of(end.start.index())..)
            .is_some_and(|rest| rest.starts_with("..."));
        let end = self.byte(if explicit_end {
            end.end.index()
        } else {
            end.start.index()
        });
        let mut doc = self.abandon();
        doc.span.end = end;
        ParsedDocument {
            root: if failed { None } else { root },
            ..doc
        }
    }

    /// Ends the current document as it stands (after a syntax error, nothing
    /// of it is trusted) and resets for the next.
    fn abandon(&mut self) -> ParsedDocument {
        let doc = ParsedDocument {
            index: 0,
            start: self.start,
            span: self.start_byte..self.start_byte,
            root: None,
            problems: std::mem::take(&mut self.problems),
        };
        self.stack.clear();
        self.root = None;
        self.anchors.clear();
        self.alias_nodes = 0;
        self.alias_bytes = 0;
        self.skipping = false;
        self.failed = false;
        self.quoted_merge_keys.clear();
        doc
    }
}

/// Turns the parser's character indexes into byte offsets. Indexes only
/// grow within a stream, so a cursor walks the text once; ASCII text (most
/// manifests) needs no walk at all.
struct ByteOffsets<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> ByteOffsets<'t> {
    fn new(text: &'t str) -> Self {
        ByteOffsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn of(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            // Not expected; start over rather than be wrong.
            (self.chars, self.bytes) = (0, 0);
        }
        let rest = &self.text[self.bytes..];
        let step = rest
            .char_indices()
            .nth(char_index - self.chars)
            .map_or(rest.len(), |(i, _)| i);
        self.bytes += step;
        self.chars = char_index;
        self.bytes
    }
}

/// Every repeated key with the position of its first and repeated use.
fn duplicate_keys(entries: &[Entry]) -> Vec<(String, Pos, Pos)> {
    let mut found = Vec::new();
    if entries.len() <= 16 {
        for (i, entry) in entries.iter().enumerate() {
            if let Some(first) = entries[..i].iter().find(|e| e.key == entry.key) {
                found.push((entry.key.to_string(), first.key_pos, entry.key_pos));
            }
        }
    } else {
        let mut first_seen: HashMap<&str, Pos> = HashMap::with_capacity(entries.len());
        for entry in entries {
            if let Some(first) = first_seen.get(&*entry.key) {
                found.push((entry.key.to_string(), *first, entry.key_pos));
            } else {
                first_seen.insert(&entry.key, entry.key_pos);
            }
        }
    }
    found
}

/// Resolves a scalar the way Kubernetes' YAML reader (YAML 1.1 rules) does:
/// quoted and block scalars are strings; plain ones may be null, booleans
/// (`true`, `yes`, `on`, ...), integers or floats.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) {
        return match tag.suffix.as_str() {
            "str" => Value::Str(text.into()),
            "null" => Value::Null,
            _ => resolve_plain(text),
        };
    }
    match style {
        ScalarStyle::Plain => resolve_plain(text),
        _ => Value::Str(text.into()),
    }
}

fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" | "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "false" | "False" | "FALSE" | "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::Str(text.into());
    }
    parse_int(text)
        .map(Value::Int)
        .or_else(|| parse_float(text).map(Value::Float))
        .unwrap_or_else(|| Value::Str(text.into()))
}

fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let cleaned: String;
    let digits = if digits.contains('_') {
        cleaned = digits.replace('_', "");
        cleaned.as_str()
    } else {
        digits
    };
    if digits.is_empty() {
        return None;
    }
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(binary) = digits.strip_prefix("0b") {
        i64::from_str_radix(binary, 2).ok()?
    } else if let Some(octal) = digits.strip_prefix("0o") {
        i64::from_str_radix(octal, 8).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

fn parse_float(text: &str) -> Option<f64> {
    // YAML 1.1 floats: optional sign, digits with a dot and/or an exponent.
    let body = text.trim_start_matches(['-', '+']);
    let valid = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+' | b'_'))
        && body
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().any(|b| b.is_ascii_digit());
    if !valid {
        return None;
    }
    text.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<ParsedDocument> {
        let source = SourceFile::new("t.yaml", text.to_string());
        parse_documents(&source, &Limits::default())
    }

    /// Each document's bytes, as its span gives them.
    fn spans(text: &str) -> Vec<&str> {
        parse(text).iter().map(|d| &text[d.span.clone()]).collect()
    }

    #[test]
    fn documents_record_their_byte_spans() {
        assert_eq!(
            spans("# head\na: 1\n---\nb: 2\n...\n---\n# note\nc: 3\n"),
            ["a: 1\n", "---\nb: 2\n...", "---\n# note\nc: 3\n"]
        );
        // Offsets are bytes, not characters.
        assert_eq!(
            spans("näme: ü\n---\nb: été\n"),
            ["näme: ü\n", "---\nb: été\n"]
        );
        // A syntax error's document runs to where parsing resumed.
        assert_eq!(spans("a: [1\n---\nb: 2\n"), ["a: [1\n", "---\nb: 2\n"]);
    }

    #[test]
    fn documents_are_handed_over_one_at_a_time_in_order() {
        let source = SourceFile::new("t.yaml", "a: 1\n---\nb: [1\n---\nc: 3\n".to_string());
        let mut seen = Vec::new();
        for_each_document(&source, &Limits::default(), |d| {
            seen.push((d.index, d.root.is_some(), d.span));
        });
        assert_eq!(
            seen,
            [(0, true, 0..5), (1, false, 5..15), (2, true, 15..24)]
        );
    }

    #[test]
    fn a_stream_of_json_values_is_one_document_per_value() {
        let text = "{\"a\": \"}{\"}\n{\"b\": [1,\n 2]}\n  [3]\n";
        let docs = parse(text);
        assert_eq!(docs.len(), 3, "{docs:?}");
        assert!(
            docs.iter()
                .all(|d| d.root.is_some() && d.problems.is_empty())
        );
        assert_eq!(
            docs[1].root.as_ref().unwrap().locate_value("b[1]"),
            Pos { line: 3, column: 2 }
        );
        assert_eq!(docs[2].start.line, 4);
        // Values sharing a line, or YAML between them, are not a stream.
        assert_eq!(json_stream_starts("{}{}\n"), None);
        assert_eq!(json_stream_starts("{}\n---\n{}\n"), None);
        assert_eq!(json_stream_starts("{\"a\": 1}\n"), None);
    }

    #[test]
    fn a_document_parses_again_with_the_same_positions() {
        let source = SourceFile::new(
            "t.yaml",
            "a: 1\n---\n  x:\n    y: [1, 2]\n---\nz: ä\n".to_string(),
        );
        let documents = parse_documents(&source, &Limits::default());
        for doc in &documents {
            let again = reparse_document(&source, &doc.span, doc.start.line);
            assert_eq!(again.as_ref(), doc.root.as_ref());
        }
    }

    #[test]
    fn keys_and_values_keep_their_positions() {
        let docs = parse("spec:\n  http:\n  - route:\n    - weight: 10\n");
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(
            root.locate("spec.http[0].route[0].weight"),
            Pos { line: 4, column: 7 }
        );
        let weight = root.get("spec").unwrap().get("http").unwrap();
        assert!(matches!(weight.value, Value::Seq(_)));
    }

    #[test]
    fn scalars_resolve_as_kubernetes_reads_them() {
        let docs = parse("a: 10\nb: \"10\"\nc: yes\nd: ~\ne: 1.5\nf: 0x1F\ng: 1.2.3\nh: 010\n");
        let root = docs[0].root.as_ref().unwrap();
        let value = |k| root.get(k).unwrap().value.clone();
        assert_eq!(value("a"), Value::Int(10));
        assert_eq!(value("b"), Value::Str("10".into()));
        assert_eq!(value("c"), Value::Bool(true));
        assert_eq!(value("d"), Value::Null);
        assert_eq!(value("e"), Value::Float(1.5));
        assert_eq!(value("f"), Value::Int(31));
        assert_eq!(value("g"), Value::Str("1.2.3".into()));
        assert_eq!(value("h"), Value::Int(8));
    }

    #[test]
    fn a_syntax_error_spoils_only_its_own_document() {
        let docs = parse("a: 1\n---\nb: [1, 2\n---\nc: 3\n");
        assert_eq!(docs.len(), 3);
        assert!(docs[0].root.is_some());
        assert_eq!(docs[1].problems[0].kind, ProblemKind::Syntax);
        assert!(docs[1].root.is_none());
        let last = docs[2].root.as_ref().unwrap();
        assert_eq!(last.locate("c"), Pos { line: 5, column: 1 });
    }

    #[test]
    fn duplicate_keys_are_reported_where_they_repeat() {
        let docs = parse("a: 1\nb: 2\na: 3\n");
        let problem = &docs[0].problems[0];
        assert_eq!(problem.kind, ProblemKind::DuplicateKey);
        assert_eq!(problem.pos, Pos { line: 3, column: 1 });
        // The first value stays and the document is still read.
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(root.as_map().unwrap().len(), 2);
        assert_eq!(root.get("a").unwrap().value, Value::Int(1));
    }

    #[test]
    fn aliases_of_a_long_string_stop_at_the_document_bound_in_bytes() {
        let long = "x".repeat(100_000);
        let aliases = vec!["*big"; 200].join(", ");
        let text = format!("big: &big {long}\nhosts: [{aliases}]\n---\nok: 1\n");
        let limits = Limits {
            max_document_bytes: 1_000_000,
            ..Limits::default()
        };
        let docs = parse_documents(&SourceFile::new("t.yaml", text), &limits);
        let problem = &docs[0].problems[0];
        assert_eq!(problem.kind, ProblemKind::LimitExceeded);
        assert!(
            problem.message.contains("more than 1000000 bytes of text"),
            "{}",
            problem.message
        );
        assert!(
            problem
                .help
                .as_deref()
                .unwrap()
                .contains("--max-document-bytes")
        );
        assert!(docs[1].root.is_some());
    }

    #[test]
    fn alias_bombs_stop_at_the_budget() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let aliases = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
        }
        text.push_str("---\nok: 1\n");
        let docs = parse(&text);
        assert_eq!(docs[0].problems[0].kind, ProblemKind::LimitExceeded);
        assert!(
            docs[0].problems[0]
                .help
                .as_deref()
                .unwrap()
                .contains("--max-alias-nodes")
        );
        assert!(docs[1].root.is_some());
    }

    #[test]
    fn deep_block_nesting_stops_at_the_depth_bound() {
        let mut text = String::new();
        for depth in 0..200 {
            text.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
        }
        text.push_str("---\nok: 1\n");
        let docs = parse(&text);
        let problem = &docs[0].problems[0];
        assert_eq!(problem.kind, ProblemKind::LimitExceeded);
        assert!(problem.help.as_deref().unwrap().contains("--max-depth"));
        assert!(docs[1].root.is_some());
    }

    #[test]
    fn deep_flow_nesting_stops_at_the_readers_bound() {
        let text = format!("{}{}\n---\nok: 1\n", "[".repeat(5000), "]".repeat(5000));
        let docs = parse(&text);
        assert_eq!(docs[0].problems[0].kind, ProblemKind::LimitExceeded);
        assert!(docs[1].root.is_some());
    }

    #[test]
    fn merge_keys_take_only_mappings_and_a_quoted_one_is_a_key() {
        let docs = parse("a:\n  <<: 5\n---\nb:\n  <<: [{x: 1}, 2]\n---\nc:\n  '<<': {x: 1}\n");
        for doc in &docs[..2] {
            assert!(doc.root.is_none());
            assert!(
                doc.problems[0].message.contains("merge key"),
                "{:?}",
                doc.problems
            );
        }
        let kept = docs[2].root.as_ref().unwrap().get("c").unwrap();
        assert!(kept.get("<<").is_some() && kept.get("x").is_none());
    }

    #[test]
    fn a_flow_collection_closed_at_its_keys_column_reads_as_kubectl_reads_it() {
        let text = "a: 1\n---\nspec:\n  args: [\n      \"--x\", \"é\",\n  ]\n  env: {k: v,\n  }\n  next: [1]\n";
        let source = SourceFile::new("t.yaml", text.to_string());
        let docs = parse_documents(&source, &Limits::default());
        assert_eq!(docs.len(), 2);
        assert!(docs[1].problems.is_empty(), "{:?}", docs[1].problems);
        let root = docs[1].root.as_ref().unwrap();
        assert_eq!(
            root.to_json(),
            serde_json::json!({"spec": {"args": ["--x", "é"], "env": {"k": "v"}, "next": [1]}})
        );
        // Positions and spans are the file's, as written.
        assert_eq!(
            root.locate_value("spec.args[1]"),
            Pos {
                line: 5,
                column: 14
            }
        );
        assert_eq!(root.locate("spec.next"), Pos { line: 9, column: 3 });
        assert_eq!(&text[docs[1].span.clone()], &text[5..]);
        let again = reparse_document(&source, &docs[1].span, docs[1].start.line);
        assert_eq!(again.as_ref(), Some(root));
        // Broken YAML stays broken: an unclosed collection, and a block
        // entry inside one (kubectl refuses both).
        for broken in [
            "spec:\n  args: [\n    1,\n",
            "spec:\n  args: [\n  - 1,\n  ]\n",
        ] {
            let docs = parse(broken);
            assert_eq!(docs[0].problems[0].kind, ProblemKind::Syntax, "{broken}");
            assert!(docs[0].root.is_none());
        }
    }

    #[test]
    fn merge_keys_fill_in_missing_entries() {
        let docs = parse("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n");
        let root = docs[0].root.as_ref().unwrap();
        let used = root.get("use").unwrap();
        assert_eq!(used.get("x").unwrap().value, Value::Int(1));
        assert_eq!(used.get("y").unwrap().value, Value::Int(3));
    }
}
