//! Source text of one input, with the line table that turns a (line, column)
//! position back into a byte offset for snippets.

use std::borrow::Cow;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use tempfile::TempPath;

/// One input file (or stdin), kept whole so that diagnostics can show
/// snippets; or, once let go (see [`SourceFile::let_go`]) or when read a
/// document at a time (see [`SourceFile::streamed`]), a file on disk whose
/// text is read back when it is needed: whole for a small file, a block of
/// lines at a time for a large one.
pub struct SourceFile {
    /// The path as the user gave it (or `-` for stdin); this is what reports print.
    pub name: String,
    /// The text; for a file let go, read back on first use.
    text: OnceLock<String>,
    /// Where the text can be read back from: a file on disk read as is
    /// (UTF-8, no byte-order mark), with what it was when read.
    disk: Option<DiskCopy>,
    /// Byte offset of the start of every [`LINES_PER_MARK`]th line (a
    /// sparse index: a line's start is found from the mark before it);
    /// built on first use, since only files with findings (or syntax
    /// errors) need it.
    line_marks: OnceLock<Vec<usize>>,
}

/// A file by its name: what it holds, and what of it was read back or
/// indexed so far, is no part of what it is.
impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// What a file on disk was when it was read, to read parts of it back.
#[derive(Debug, Clone)]
struct DiskCopy {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    /// The temporary file a pipe was spooled to, when it is one: removed
    /// once nothing can read it back.
    _spool: Option<Arc<TempPath>>,
}

impl DiskCopy {
    /// Bytes `range` of the file; `None` when the file's size or
    /// modification time changed since it was read.
    fn read(&self, range: Range<u64>) -> Option<Vec<u8>> {
        let mut file = fs::File::open(&self.path).ok()?;
        let meta = file.metadata().ok()?;
        if meta.len() != self.len || meta.modified().ok() != self.modified || range.end > self.len {
            return None;
        }
        file.seek(SeekFrom::Start(range.start)).ok()?;
        let mut bytes = Vec::with_capacity((range.end - range.start) as usize);
        file.take(range.end - range.start)
            .read_to_end(&mut bytes)
            .ok()?;
        Some(bytes)
    }

    /// The line marks of the file, read through without keeping it;
    /// `None` when it changed since it was read.
    fn line_marks(&self) -> Option<Vec<usize>> {
        // Reading nothing checks that the file is as it was.
        self.read(0..0)?;
        let mut reader = std::io::BufReader::new(fs::File::open(&self.path).ok()?);
        let (mut marks, mut lines, mut at) = (vec![0], 0usize, 0usize);
        loop {
            let buffer = std::io::BufRead::fill_buf(&mut reader).ok()?;
            if buffer.is_empty() {
                break;
            }
            for i in memchr::memchr_iter(b'\n', buffer) {
                lines += 1;
                if lines.is_multiple_of(LINES_PER_MARK) {
                    marks.push(at + i + 1);
                }
            }
            let read = buffer.len();
            at += read;
            std::io::BufRead::consume(&mut reader, read);
        }
        (at as u64 == self.len).then_some(marks)
    }
}

/// How far before a document [`SourceFile::lines_of`] reads back to find
/// the start of its first line.
const LINE_START_WINDOW: usize = 4096;

/// A file let go that is no larger than this is read back whole the first
/// time any of it is needed (and kept); a larger one is read back a block
/// of [`LINES_PER_MARK`] lines at a time, so that showing a finding of a
/// file read a document at a time costs a few lines, not the file.
pub(super) const READ_BACK_WHOLE_UP_TO: u64 = 4 * 1024 * 1024;

/// Lines per mark of the sparse line index: finding a line's start reads at
/// most this many lines, and the index takes a fraction of a byte per line.
pub(super) const LINES_PER_MARK: usize = 32;

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Arc<Self> {
        Self::with_disk(name.into(), text, None)
    }

    /// A file read from `path` as is, whose text can be let go and read
    /// back (see [`SourceFile::let_go`]).
    /// `metadata` is the file's as it was read.
    pub fn on_disk(
        name: impl Into<String>,
        text: String,
        path: &Path,
        metadata: Option<&fs::Metadata>,
    ) -> Arc<Self> {
        // Only a regular file reads back the same: not a pipe
        // (`<(kustomize build)`), a socket or a device.
        let regular = metadata.filter(|meta| meta.is_file());
        let disk = regular.map(|meta| DiskCopy {
            path: path.to_path_buf(),
            len: text.len() as u64,
            modified: meta.modified().ok(),
            _spool: None,
        });
        Self::with_disk(name.into(), text, disk)
    }

    fn with_disk(name: String, text: String, disk: Option<DiskCopy>) -> Arc<Self> {
        Arc::new(SourceFile {
            name,
            text: OnceLock::from(text),
            disk,
            line_marks: OnceLock::new(),
        })
    }

    /// A regular file read a document at a time, whose text is never held
    /// whole (its line marks are set once it is read through); `spool`
    /// when it is the temporary file a pipe was spooled to.
    pub(super) fn streamed(
        name: String,
        path: &Path,
        metadata: &fs::Metadata,
        spool: Option<Arc<TempPath>>,
    ) -> Arc<Self> {
        Arc::new(SourceFile {
            name,
            text: OnceLock::new(),
            disk: Some(DiskCopy {
                path: path.to_path_buf(),
                len: metadata.len(),
                modified: metadata.modified().ok(),
                _spool: spool,
            }),
            line_marks: OnceLock::new(),
        })
    }

    /// Records the line marks counted while the file was read.
    pub(super) fn set_line_marks(&self, mut marks: Vec<usize>) {
        marks.shrink_to_fit();
        // Only a file read a document at a time sets them, once.
        let _ = self.line_marks.set(marks);
    }

    /// The same file without its text in memory, read back from disk when
    /// needed (a finding's position reads only its document); `None` for a
    /// file that cannot be read back (stdin, a transcoded file). Lint keeps
    /// every object of a run, and the texts would be a quarter of it.
    pub fn let_go(&self) -> Option<Arc<Self>> {
        // A file whose text is not held has nothing to let go.
        self.text.get()?;
        let disk = self.disk.clone()?;
        Some(Arc::new(SourceFile {
            name: self.name.clone(),
            text: OnceLock::new(),
            disk: Some(disk),
            line_marks: OnceLock::new(),
        }))
    }

    /// The text (read back from disk for a file let go: empty when the
    /// file has changed since, which costs positions, never wrong ones).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| {
            self.disk
                .as_ref()
                .and_then(|disk| String::from_utf8(disk.read(0..disk.len)?).ok())
                .unwrap_or_default()
        })
    }

    /// The text, taken out of the file.
    pub fn into_text(self) -> String {
        self.text();
        self.text.into_inner().unwrap_or_default()
    }

    /// The text from the start of the line holding `span.start` to
    /// `span.end`, with the byte offset it starts at. Of a file let go,
    /// only this part (and a little before it) is read back from disk;
    /// `None` past the end, or when the file has changed since.
    pub fn lines_of(&self, span: &Range<usize>) -> Option<(usize, Cow<'_, str>)> {
        if let (None, Some(disk)) = (self.text.get(), &self.disk) {
            let window = span.start.saturating_sub(LINE_START_WINDOW);
            let bytes = disk.read(window as u64..span.end as u64)?;
            let before = bytes.get(..span.start - window)?;
            match memchr::memrchr(b'\n', before) {
                Some(i) => {
                    let text = String::from_utf8(bytes[i + 1..].to_vec()).ok()?;
                    return Some((window + i + 1, Cow::Owned(text)));
                }
                None if window == 0 => {
                    return Some((0, Cow::Owned(String::from_utf8(bytes).ok()?)));
                }
                // A line longer than the window: the whole text is read back.
                None => {}
            }
        }
        let text = self.text().get(..span.end)?;
        let from = memchr::memrchr(b'\n', text.as_bytes().get(..span.start)?).map_or(0, |i| i + 1);
        Some((from, Cow::Borrowed(&text[from..])))
    }

    /// The text whole, when it is held or cheap to read back whole;
    /// `None` for a large file on disk, read back a block at a time.
    fn whole(&self) -> Option<&str> {
        match (self.text.get(), &self.disk) {
            (Some(text), _) => Some(text),
            (None, Some(disk)) if disk.len > READ_BACK_WHOLE_UP_TO => None,
            _ => Some(self.text()),
        }
    }

    #[cfg(test)]
    pub(super) fn holds_text(&self) -> bool {
        self.text.get().is_some()
    }

    /// The text's length in bytes.
    fn len(&self) -> usize {
        match (self.text.get(), &self.disk) {
            (None, Some(disk)) => disk.len as usize,
            _ => self.text().len(),
        }
    }

    /// Bytes `range` of the text (clamped to its end), read back from disk
    /// for a large file not held; empty when the file changed since.
    pub fn slice(&self, range: Range<usize>) -> Cow<'_, str> {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        match (self.whole(), &self.disk) {
            (Some(text), _) => Cow::Borrowed(text.get(start..end).unwrap_or_default()),
            (None, Some(disk)) => disk
                .read(start as u64..end as u64)
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .map_or(Cow::Borrowed(""), Cow::Owned),
            (None, None) => Cow::Borrowed(""),
        }
    }

    /// Bytes `range` of the text as a terminal may show them: every
    /// character a terminal would act on (C0 controls but tab, line feed
    /// and the carriage return of a CRLF; DEL; C1 controls; bidirectional
    /// overrides) replaced by a visible one of the same length in bytes and
    /// characters (`?`, `¿`, `�`), so that byte offsets, line numbers and
    /// columns stay those of the file.
    pub fn shown(&self, range: Range<usize>) -> Cow<'_, str> {
        shown_text(self.slice(range))
    }

    /// [`SourceFile::shown`] of the whole characters within `range`, which
    /// need not fall on character boundaries (a window of a long line),
    /// and where they start.
    pub fn shown_within(&self, range: Range<usize>) -> (usize, Cow<'_, str>) {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        match (self.whole(), &self.disk) {
            (Some(text), _) => {
                let from = (start..=end)
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(end);
                let to = (from..=end)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(from);
                (from, shown_text(Cow::Borrowed(&text[from..to])))
            }
            (None, Some(disk)) => {
                let bytes = disk.read(start as u64..end as u64).unwrap_or_default();
                let skipped = bytes.iter().take_while(|&&b| b & 0xc0 == 0x80).count();
                let whole = match std::str::from_utf8(&bytes[skipped..]) {
                    Ok(text) => text,
                    Err(error) => {
                        std::str::from_utf8(&bytes[skipped..skipped + error.valid_up_to()])
                            .unwrap_or_default()
                    }
                };
                (start + skipped, shown_text(Cow::Owned(whole.to_string())))
            }
            (None, None) => (start, Cow::Borrowed("")),
        }
    }

    fn line_marks(&self) -> &[usize] {
        self.line_marks.get_or_init(|| {
            let mut marks = match self.whole() {
                Some(text) => marks_of(text.as_bytes()),
                None => self
                    .disk
                    .as_ref()
                    .and_then(DiskCopy::line_marks)
                    .unwrap_or(vec![0]),
            };
            marks.shrink_to_fit();
            marks
        })
    }

    /// The marked block of lines holding byte `offset`: its start, and its
    /// text up to the next mark (or the end of the text).
    fn block_at(&self, offset: usize) -> (usize, Cow<'_, str>) {
        let marks = self.line_marks();
        let mark = marks
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        self.block(mark)
    }

    fn block(&self, mark: usize) -> (usize, Cow<'_, str>) {
        let marks = self.line_marks();
        let start = marks.get(mark).copied().unwrap_or(self.len());
        // A text held whole is sliced to its end, which costs nothing.
        let end = match self.whole() {
            Some(text) => text.len(),
            None => marks.get(mark + 1).copied().unwrap_or(self.len()),
        };
        (start, self.slice(start..end))
    }

    /// Byte offset of the start of a 0-based line; `None` past the last.
    fn find_line_start(&self, index: usize) -> Option<usize> {
        if index / LINES_PER_MARK >= self.line_marks().len() {
            return None;
        }
        let (start, block) = self.block(index / LINES_PER_MARK);
        let mut at = 0;
        for _ in 0..index % LINES_PER_MARK {
            at += memchr::memchr(b'\n', block.as_bytes().get(at..)?)? + 1;
        }
        Some(start + at)
    }

    /// Byte offset of a 1-based line and 1-based column counted in characters
    /// (the parser counts columns in characters, miette wants bytes).
    /// Positions past the end of their line clamp to its end, past the last
    /// line to the end of the text.
    pub fn byte_offset(&self, line: u32, column: u32) -> usize {
        let Some(start) = self.find_line_start(line.saturating_sub(1) as usize) else {
            return self.len();
        };
        let rest = self.rest_of_line(start);
        let skip = column.saturating_sub(1) as usize;
        rest.char_indices()
            .nth(skip)
            .map_or(start + rest.len(), |(i, _)| start + i)
    }

    /// The 0-based line that holds a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        let marks = self.line_marks();
        let mark = marks
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let (start, block) = self.block(mark);
        let end = offset.saturating_sub(start).min(block.len());
        mark * LINES_PER_MARK + memchr::memchr_iter(b'\n', &block.as_bytes()[..end]).count()
    }

    /// Byte offset of the start of a 0-based line (the end of the text past
    /// the last line).
    pub fn line_start(&self, index: usize) -> usize {
        self.find_line_start(index).unwrap_or(self.len())
    }

    /// The text from `start` to the end of that line.
    pub fn rest_of_line(&self, start: usize) -> Cow<'_, str> {
        let (block_start, block) = self.block_at(start);
        let line = |block: &str| -> Range<usize> {
            let from = (start - block_start).min(block.len());
            let rest = block.get(from..).unwrap_or_default();
            from..from + rest.find('\n').unwrap_or(rest.len())
        };
        match block {
            Cow::Borrowed(block) => Cow::Borrowed(block.get(line(block)).unwrap_or_default()),
            Cow::Owned(block) => Cow::Owned(block.get(line(&block)).unwrap_or_default().to_owned()),
        }
    }
}

/// `text` as a terminal may show it (see [`SourceFile::shown`]).
fn shown_text(text: Cow<'_, str>) -> Cow<'_, str> {
    let acts = |(i, c): (usize, char)| {
        terminal_acts_on(c) && !(c == '\r' && text[i + 1..].starts_with('\n'))
    };
    if !text.char_indices().any(acts) {
        return text;
    }
    let shown = text
        .char_indices()
        .map(|(i, c)| match c.len_utf8() {
            _ if !acts((i, c)) => c,
            1 => '?',
            2 => '¿',
            _ => '\u{fffd}',
        })
        .collect();
    Cow::Owned(shown)
}

/// The byte offset of every [`LINES_PER_MARK`]th line start of a text.
fn marks_of(text: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            memchr::memchr_iter(b'\n', text)
                .skip(LINES_PER_MARK - 1)
                .step_by(LINES_PER_MARK)
                .map(|i| i + 1),
        )
        .collect()
}

/// A character that makes a terminal do something rather than show it:
/// control characters other than tab and line feed, and the bidirectional
/// overrides that reorder what is shown.
pub fn terminal_acts_on(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_text_keeps_every_offset_and_shows_no_control() {
        let text = "a: \"\u{1b}]0;x\u{7}\"\r\n# \u{9b}31m \u{202e}z\rw\n";
        let file = SourceFile::new("t.yaml", text.to_string());
        let shown = file.shown(0..text.len());
        assert_eq!(shown, "a: \"?]0;x?\"\r\n# ¿31m \u{fffd}z?w\n");
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown.chars().count(), text.chars().count());
        let plain = SourceFile::new("t.yaml", "a: 1\r\n".to_string());
        assert!(matches!(plain.shown(0..6), Cow::Borrowed("a: 1\r\n")));
    }

    #[test]
    fn byte_offsets_follow_characters_not_bytes() {
        let file = SourceFile::new("t.yaml", "a: 1\nnäme: x\n".to_string());
        assert_eq!(file.byte_offset(1, 1), 0);
        assert_eq!(file.byte_offset(2, 1), 5);
        // "n", "ä" (2 bytes), "m", "e", ":" -> column 6 is the space after ':'.
        assert_eq!(file.byte_offset(2, 6), 5 + 6);
        assert_eq!(file.byte_offset(9, 1), file.text().len());
        assert_eq!(file.rest_of_line(5), "näme: x");
        assert_eq!(
            (file.line_index(0), file.line_index(4), file.line_index(5)),
            (0, 0, 1)
        );
        assert_eq!(
            (file.line_start(1), file.line_start(9)),
            (5, file.text().len())
        );
    }

    #[test]
    fn a_file_let_go_reads_back_only_what_is_asked_and_nothing_once_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        let line = format!("# {}\n", "x".repeat(LINE_START_WINDOW));
        let text = format!("a: 1\n---\nb: 2\n{line}c: {{d: 3}}\n");
        std::fs::write(&path, &text).unwrap();
        let held = SourceFile::on_disk(
            "t.yaml",
            text.clone(),
            &path,
            std::fs::metadata(&path).ok().as_ref(),
        );
        let gone = held.let_go().unwrap();
        assert!(gone.text.get().is_none());
        // A document after a short line, one after a line longer than the
        // window (read back whole), and one starting mid-line.
        let c = text.find("c:").unwrap();
        let d = text.find("d:").unwrap();
        for span in [10..15, c..text.len(), d..text.len() - 2] {
            let read = gone.lines_of(&span).unwrap();
            assert_eq!(read, held.lines_of(&span).unwrap(), "span {span:?}");
        }
        assert!(gone.text.get().is_none(), "only the spans were read back");
        // Inside a line longer than the window: the whole text is read back.
        let deep = text.find("# x").unwrap() + LINE_START_WINDOW + 1;
        let span = deep..deep + 2;
        assert_eq!(gone.lines_of(&span), held.lines_of(&span));
        assert_eq!(gone.text.get().map(String::as_str), Some(text.as_str()));
        assert!(SourceFile::new("-", text.clone()).let_go().is_none());
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(
                SourceFile::on_disk(
                    "p",
                    text.clone(),
                    &pipe,
                    std::fs::metadata(&pipe).ok().as_ref()
                )
                .let_go()
                .is_none()
            );
        }
        let other = held.let_go().unwrap();
        std::fs::write(&path, format!("{text}e: 4\n")).unwrap();
        assert_eq!(other.lines_of(&(10..15)), None);
        assert_eq!(other.text(), "");
    }

    proptest::proptest! {
        /// The sparse index answers as a table of every line's start would,
        /// on texts long enough to cross several marks.
        #[test]
        fn the_sparse_line_index_agrees_with_every_line_start(
            lines in proptest::collection::vec("[a-c\r]{0,3}", 0..200),
            trailing_newline: bool,
        ) {
            let mut text = lines.join("\n");
            if trailing_newline {
                text.push('\n');
            }
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let file = SourceFile::new("t.yaml", text.clone());
            for (index, &start) in starts.iter().enumerate() {
                proptest::prop_assert_eq!(file.line_start(index), start);
                let end = starts.get(index + 1).map_or(text.len(), |next| next - 1);
                proptest::prop_assert_eq!(file.rest_of_line(start), &text[start..end]);
            }
            proptest::prop_assert_eq!(file.line_start(starts.len()), text.len());
            for offset in 0..=text.len() {
                let expected = starts.partition_point(|&s| s <= offset) - 1;
                proptest::prop_assert_eq!(file.line_index(offset), expected);
            }
        }
    }
}
