//! Reading a large file a document at a time, so that memory follows the
//! largest document, not the largest file: the file is read through once,
//! cut at its `---` lines, and each stretch is parsed and handed over
//! before the next is read. The text is never held
//! whole; a finding's position and snippet read back only their lines.
//!
//! A pipe (stdin, `<(kustomize build)`) cannot be read back: one larger
//! than that is spooled to a temporary file as it is read, then read from
//! it the same way.
//!
//! YAML never lets a scalar hold `---` at the start of a line (it ends any
//! open scalar or collection), so the cuts fall where the parser's
//! documents start. (A `%` directive between `...` and `---` stays with the
//! stretch before: meshctl reads no directive.) What the cut cannot be sure of is left to the
//! whole-file reader: a JSON stream or document (its values are cut
//! otherwise), a byte-order mark (the text is transcoded), and files small
//! enough that streaming would not pay.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;

use tempfile::TempPath;

use super::input::too_large;
use super::node::Pos;
use super::source::{LINES_PER_MARK, READ_BACK_WHOLE_UP_TO, SourceFile};
use super::yaml::{
    LoadProblem, ParsedDocument, StreamOffset, Window, document_too_large, is_marker,
    not_utf8_problem, parse_slice,
};
use super::{Input, InputError, Limits, input_error};

/// Files larger than this are read a document at a time.
pub(super) const STREAM_FILES_OVER: u64 = READ_BACK_WHOLE_UP_TO;

/// How much of a line is read at once: a line longer than this (a
/// minified blob) is read in pieces, never held whole past the document
/// size bound.
const PIECE: u64 = 64 * 1024;

/// An input read: a document at a time (its documents handed over), or
/// whole, with the problem that kept it from being read, if any.
pub(super) enum ReadInput {
    Streamed(Arc<SourceFile>),
    Whole(Arc<SourceFile>, Option<LoadProblem>),
}

/// Reads an input, a document at a time when it is larger than
/// [`STREAM_FILES_OVER`] and its text can be cut (see the module's docs).
pub(super) fn read_input(
    input: &Input,
    limits: &Limits,
    sink: &mut dyn FnMut(&Arc<SourceFile>, ParsedDocument),
) -> Result<ReadInput, InputError> {
    let name = input.display_name();
    let (mut reader, metadata) = input.open()?;
    if let (Input::File(path), Some(meta)) = (input, &metadata)
        && meta.is_file()
    {
        if let Some(source) = stream_file_over(STREAM_FILES_OVER, path, name, None, limits, sink)? {
            return Ok(ReadInput::Streamed(source));
        }
        let (source, problem) = input.read_rest(Vec::new(), reader, metadata.as_ref(), limits)?;
        return Ok(ReadInput::Whole(source, problem));
    }
    // A pipe: what it holds is known once it is read.
    let mut head = Vec::new();
    reader
        .by_ref()
        .take(STREAM_FILES_OVER + 1)
        .read_to_end(&mut head)
        .map_err(|e| input_error(Path::new(&name), e))?;
    // Where no temporary file can be made (a read-only file system), the
    // pipe is read whole, as a small one is.
    let spool_file = (head.len() as u64 > STREAM_FILES_OVER && cuttable(&head))
        .then(|| tempfile::NamedTempFile::new().ok())
        .flatten();
    if let Some(file) = spool_file {
        let spool =
            spool(file, &head, reader, limits).map_err(|e| input_error(Path::new(&name), e))?;
        let Some(spool) = spool else {
            return Ok(ReadInput::Whole(
                SourceFile::new(name, String::new()),
                Some(too_large(limits)),
            ));
        };
        let path = spool.to_path_buf();
        let source = stream_file_over(0, &path, name, Some(Arc::new(spool)), limits, sink)?;
        return Ok(ReadInput::Streamed(source.expect("a spooled file is cut")));
    }
    let (source, problem) = input.read_rest(head, reader, metadata.as_ref(), limits)?;
    Ok(ReadInput::Whole(source, problem))
}

/// Writes `head` and the rest of `reader` to `file`, a temporary file
/// removed when the last of what reads it back is dropped; `None` when the
/// whole is larger than `--max-file-bytes`.
fn spool(
    mut file: tempfile::NamedTempFile,
    head: &[u8],
    reader: impl Read,
    limits: &Limits,
) -> std::io::Result<Option<TempPath>> {
    file.write_all(head)?;
    let bound = (limits.max_file_bytes + 1).saturating_sub(head.len() as u64);
    let copied = std::io::copy(&mut reader.take(bound), &mut file)?;
    file.flush()?;
    if head.len() as u64 + copied > limits.max_file_bytes {
        return Ok(None);
    }
    Ok(Some(file.into_temp_path()))
}

/// Reads the regular file at `path` a document at a time when it is
/// larger than `over` bytes, handing each document to `sink`; `None`
/// (nothing read, nothing handed over) when it is not, or is one the
/// whole-file reader should read (see the module's docs). `spool` is the
/// temporary file `path` is, kept as long as the file may be read back.
fn stream_file_over(
    over: u64,
    path: &Path,
    name: String,
    spool: Option<Arc<TempPath>>,
    limits: &Limits,
    sink: &mut dyn FnMut(&Arc<SourceFile>, ParsedDocument),
) -> Result<Option<Arc<SourceFile>>, InputError> {
    let file = fs::File::open(path).map_err(|e| input_error(path, e))?;
    let metadata = file.metadata().map_err(|e| input_error(path, e))?;
    let len = metadata.len();
    if !metadata.is_file() || len <= over || len > limits.max_file_bytes {
        return Ok(None);
    }
    // Never past the size it had when opened: a file growing while it is
    // read would not read back the same.
    let mut reader = BufReader::with_capacity(PIECE as usize, file.take(len));
    let head = reader.fill_buf().map_err(|e| input_error(path, e))?;
    if !cuttable(head) {
        return Ok(None);
    }
    let source = SourceFile::streamed(name, path, &metadata, spool);
    let mut cutter = Cutter::new(&source, limits, sink);
    while cutter
        .read_piece(&mut reader)
        .map_err(|e| input_error(path, e))?
    {}
    let marks = cutter.finish();
    source.set_line_marks(marks);
    Ok(Some(source))
}

/// Whether a file starting with `head` can be cut at its document markers:
/// not a JSON text (a stream of values, cut otherwise, or one document),
/// and no byte-order mark.
fn cuttable(head: &[u8]) -> bool {
    let boms: [&[u8]; 3] = [b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe"];
    if boms.iter().any(|bom| head.starts_with(bom)) {
        return false;
    }
    // Nothing but blanks in the head: what follows is not known.
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    first.is_some_and(|b| !matches!(b, b'{' | b'['))
}

/// Cuts a file into stretches of whole documents as it is read, and parses
/// each once it is complete.
struct Cutter<'a> {
    source: &'a Arc<SourceFile>,
    limits: &'a Limits,
    sink: &'a mut dyn FnMut(&Arc<SourceFile>, ParsedDocument),
    /// The stretch read so far, from the start of a line; no longer kept
    /// (only read through) once it passes the document size bound.
    stretch: Vec<u8>,
    /// Where the stretch starts in the file.
    at: StreamOffset,
    /// The line on which the stretch passed the document size bound.
    too_large_at: Option<u32>,
    /// Bytes and whole lines read so far.
    read: usize,
    lines: u32,
    at_line_start: bool,
    /// The byte offset of every [`LINES_PER_MARK`]th line start.
    marks: Vec<usize>,
    /// Documents handed over so far.
    count: usize,
}

impl<'a> Cutter<'a> {
    fn new(
        source: &'a Arc<SourceFile>,
        limits: &'a Limits,
        sink: &'a mut dyn FnMut(&Arc<SourceFile>, ParsedDocument),
    ) -> Self {
        Cutter {
            source,
            limits,
            sink,
            stretch: Vec::new(),
            at: StreamOffset::default(),
            too_large_at: None,
            read: 0,
            lines: 0,
            at_line_start: true,
            marks: vec![0],
            count: 0,
        }
    }

    /// Reads up to the end of a line, or a piece of a long one; `false` at
    /// the end of the file.
    fn read_piece(&mut self, reader: &mut impl BufRead) -> std::io::Result<bool> {
        let held = self.stretch.len();
        let n = reader
            .by_ref()
            .take(PIECE)
            .read_until(b'\n', &mut self.stretch)?;
        if n == 0 {
            return Ok(false);
        }
        let starts_line = self.at_line_start;
        let piece = &self.stretch[held..];
        self.at_line_start = piece.ends_with(b"\n");
        let starts_document = starts_line && self.read > self.at.byte && is_marker(piece, b"---");
        if starts_document {
            let next = StreamOffset {
                byte: self.read,
                lines: self.lines,
            };
            self.cut(held, next);
        }
        self.read += n;
        if self.at_line_start {
            self.lines += 1;
            if (self.lines as usize).is_multiple_of(LINES_PER_MARK) {
                self.marks.push(self.read);
            }
        }
        if self.read - self.at.byte > self.limits.max_document_bytes {
            // Read through, not kept: only its start is looked at, for a
            // marker.
            self.too_large_at.get_or_insert(self.lines + 1);
            self.stretch.clear();
        }
        Ok(true)
    }

    /// Hands over the documents of the stretch's first `end` bytes, which
    /// end where `next` starts; the rest starts the next stretch.
    fn cut(&mut self, end: usize, next: StreamOffset) {
        match self.too_large_at.take() {
            Some(line) => {
                let problem = document_too_large(Pos { line, column: 1 }, self.limits);
                self.emit(unparsed(self.at, next.byte, problem));
            }
            None => self.parse(end, next.byte),
        }
        self.stretch.drain(..end);
        self.at = next;
    }

    /// Parses the stretch's first `end` bytes, which end at byte `to`.
    fn parse(&mut self, end: usize, to: usize) {
        let at = self.at;
        let limits = self.limits;
        let stretch = std::mem::take(&mut self.stretch);
        match std::str::from_utf8(&stretch[..end]) {
            Ok(text) => {
                // Read on into the marker that ends the stretch, as the
                // whole file would be: a scalar or collection left open
                // then meets it, not the end of the text. Documents from
                // the marker on belong to the next stretch.
                let text = std::str::from_utf8(&stretch).unwrap_or(text);
                parse_slice(Window { text, at }, limits, &mut |document| {
                    if document.span.start < to {
                        self.emit(document);
                    }
                })
            }
            Err(error) => {
                let problem = not_utf8_problem(&stretch[..error.valid_up_to()], at);
                self.emit(unparsed(at, to, problem));
            }
        }
        self.stretch = stretch;
    }

    fn emit(&mut self, document: ParsedDocument) {
        (self.sink)(self.source, document.with_index(self.count));
        self.count += 1;
    }

    /// Hands over the last stretch; the line marks.
    fn finish(mut self) -> Vec<usize> {
        let next = StreamOffset {
            byte: self.read,
            lines: self.lines,
        };
        self.cut(self.stretch.len(), next);
        self.marks
    }
}

/// A stretch of the file from `at` to byte `to` not parsed, for `problem`.
fn unparsed(at: StreamOffset, to: usize, problem: LoadProblem) -> ParsedDocument {
    ParsedDocument {
        index: 0,
        start: Pos {
            line: at.lines + 1,
            column: 1,
        },
        span: at.byte..to,
        root: None,
        problems: vec![problem],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{Input, load_file};

    /// The documents of a file read a document at a time, and the source.
    fn streamed(path: &Path, limits: &Limits) -> (Vec<ParsedDocument>, Arc<SourceFile>) {
        let mut documents = Vec::new();
        let source = stream_file_over(0, path, "t.yaml".into(), None, limits, &mut |_, d| {
            documents.push(d)
        })
        .unwrap()
        .expect("streamed");
        (documents, source)
    }

    /// Documents, positions, trees and problems alike, and line lookups
    /// alike, whether the file is read whole or a document at a time.
    fn assert_read_alike(text: &str) {
        if !cuttable(text.as_bytes()) {
            return; // Never streamed: empty, blank, JSON or marked.
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, text).unwrap();
        let limits = Limits::default();
        let whole = load_file(&Input::File(path.clone()), &limits).unwrap();
        let (documents, source) = streamed(&path, &limits);
        assert_eq!(
            format!("{documents:#?}"),
            format!("{:#?}", whole.documents),
            "{text:?}"
        );
        for offset in (0..=text.len()).step_by(7) {
            assert_eq!(source.line_index(offset), whole.source.line_index(offset));
        }
        let lines = text.lines().count() + 1;
        for line in 0..=lines {
            let start = whole.source.line_start(line);
            assert_eq!(source.line_start(line), start, "line {line}");
            assert_eq!(source.rest_of_line(start), whole.source.rest_of_line(start));
        }
    }

    #[test]
    fn a_stream_of_documents_reads_as_the_whole_file() {
        assert_read_alike(
            "# head\nfirst: 1\n---\na: 1\n# tail of a\n---\n---   \nb: [1,\n  2]\n---\nc: 'unclosed\n---\nd: 4\n...\n# after\ne: 5\n--- {f: 6}\n",
        );
        assert_read_alike("---\nargs: [\n  a\n]\n---\nx: |\n  ---not a marker\n  y\n");
        assert_read_alike("a: 1\r\n---\r\nb: 2\r\n");
        assert_read_alike("e: &a 1\n---\nf: *a\n");
    }

    /// Every manifest of `testdata/` reads alike.
    #[test]
    fn every_fixture_reads_as_the_whole_file() {
        for (_, text) in crate::loader::testdata_manifests() {
            if cuttable(text.as_bytes()) {
                assert_read_alike(&text);
            }
        }
    }

    /// A large file streamed is never held whole: its lines are found and
    /// shown a block at a time, as the whole text would give them.
    #[test]
    fn a_large_file_streamed_reads_back_its_lines_a_block_at_a_time() {
        let document = "---\nkind: Service # \u{1b}[31mé\nmetadata:\n  name: a\n";
        let copies = (READ_BACK_WHOLE_UP_TO as usize / document.len()) + 100;
        let text = document.repeat(copies);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, &text).unwrap();
        let mut count = 0;
        let input = Input::File(path.clone());
        let read = read_input(&input, &Limits::default(), &mut |_, d| {
            assert!(d.problems.is_empty());
            count += 1;
        });
        let Ok(ReadInput::Streamed(source)) = read else {
            panic!("read whole");
        };
        assert_eq!(count, copies);
        let whole = SourceFile::new("big.yaml", text.clone());
        let lines = copies * 4;
        for line in (0..lines).step_by(997).chain([lines - 1, lines, lines + 5]) {
            let start = whole.line_start(line);
            assert_eq!(source.line_start(line), start, "line {line}");
            assert_eq!(source.line_index(start + 3), whole.line_index(start + 3));
            assert_eq!(source.rest_of_line(start), whole.rest_of_line(start));
            let (l, c) = (line as u32 + 1, 20);
            assert_eq!(
                source.byte_offset(l, c),
                whole.byte_offset(l, c),
                "line {l}"
            );
            let lines = start..whole.line_start(line + 3);
            assert_eq!(source.shown(lines.clone()), whole.shown(lines));
        }
        assert!(!source.holds_text());
    }

    #[test]
    fn a_document_past_the_size_bound_is_read_through_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        let big = format!("a: 1\n---\nb:\n{}---\nc: 3\n", "- xxxxxxxxx\n".repeat(100));
        std::fs::write(&path, &big).unwrap();
        let limits = Limits {
            max_document_bytes: 500,
            ..Limits::default()
        };
        let (documents, _) = streamed(&path, &limits);
        let problems: Vec<_> = documents.iter().map(|d| d.problems.len()).collect();
        assert_eq!(problems, [0, 1, 0]);
        let too_large = &documents[1];
        assert_eq!(
            too_large.problems[0].message,
            "document is larger than 500 bytes"
        );
        assert_eq!(too_large.start.line, 2);
        assert!(too_large.problems[0].pos.line > 2 && too_large.problems[0].pos.line < 100);
        assert_eq!(too_large.span, 5..big.find("---\nc").unwrap());
        assert_eq!((documents[2].index, documents[2].start.line), (2, 104));
    }

    #[test]
    fn text_that_is_not_utf8_spoils_only_its_document() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, b"a: 1\n---\nb: \xff\n---\nc: 3\n").unwrap();
        let (documents, _) = streamed(&path, &Limits::default());
        let problems: Vec<_> = documents.iter().map(|d| d.problems.len()).collect();
        assert_eq!(problems, [0, 1, 0]);
        assert_eq!(documents[1].problems[0].pos, Pos { line: 3, column: 4 });
    }

    #[test]
    fn json_and_marked_texts_are_left_to_the_whole_file_reader() {
        assert!(!cuttable(b"  {\"a\": 1}\n{\"b\": 2}\n"));
        assert!(!cuttable(b"\n[1]"));
        assert!(!cuttable(b"\xef\xbb\xbfa: 1\n"));
        assert!(cuttable(b"# {\na: 1\n"));
        assert!(!cuttable(b"\n  \n"));
    }

    proptest::proptest! {
        /// Any bytes at all are read without a panic, into documents in
        /// order whose spans lie within the file.
        #[test]
        fn any_bytes_are_read_in_order_within_the_file(
            bytes in proptest::collection::vec(proptest::sample::select(
                b"-.-:# \n\r\t[]{}'\"a\xff\xc3\xa9|>&*!%".to_vec()), 1..300),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.yaml");
            std::fs::write(&path, &bytes).unwrap();
            let limits = Limits { max_document_bytes: 64, ..Limits::default() };
            let mut documents = Vec::new();
            let read = stream_file_over(0, &path, "t.yaml".into(), None, &limits, &mut |_, d| {
                documents.push(d)
            });
            proptest::prop_assert!(read.is_ok());
            for (i, document) in documents.iter().enumerate() {
                proptest::prop_assert_eq!(document.index, i);
                proptest::prop_assert!(document.span.start <= document.span.end);
                proptest::prop_assert!(document.span.end <= bytes.len());
            }
            for pair in documents.windows(2) {
                proptest::prop_assert!(pair[0].span.start <= pair[1].span.start);
            }
        }

        /// Texts made of lines that start, end and break documents read
        /// alike whole and a document at a time. (An alias to another
        /// document's anchor is refused at the same place both ways, but
        /// read whole the rest of its document is still read for problems.)
        #[test]
        fn any_stream_reads_as_the_whole_file(
            lines in proptest::collection::vec(proptest::sample::select(vec![
                "---", "--- # c", "---x: 1", "...", "a: 1", "b: [1,", "  2]", "c: 'open",
                "# note", "- x", "k: |", "  block", "%YAML 1.2", "\tbad: 1", "", "d: {e: 1}",
                "  nested: 2", "e: &a 1\nf: *a", "a: 2", "]", "g: [", "é: ü",
            ]), 0..40),
        ) {
            assert_read_alike(&lines.join("\n"));
        }
    }
}
