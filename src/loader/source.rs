//! Source text of one input, with the line table that turns a (line, column)
//! position back into a byte offset for snippets.

use std::sync::{Arc, OnceLock};

/// One input file (or stdin), kept whole so that diagnostics can show snippets.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `-` for stdin); this is what reports print.
    pub name: String,
    pub text: String,
    /// Byte offset of the start of every [`LINES_PER_MARK`]th line (a
    /// sparse index: a line's start is found from the mark before it);
    /// built on first use, since only files with findings (or syntax
    /// errors) need it.
    line_marks: OnceLock<Vec<usize>>,
    /// The text as a terminal may show it, built on first use: `None` when
    /// the text holds no control character (see [`SourceFile::shown_text`]).
    shown: OnceLock<Option<String>>,
}

/// Lines per mark of the sparse line index: finding a line's start reads at
/// most this many lines, and the index takes a fraction of a byte per line.
const LINES_PER_MARK: usize = 32;

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text,
            line_marks: OnceLock::new(),
            shown: OnceLock::new(),
        })
    }

    /// The text with every character a terminal would act on (C0 controls
    /// but tab, line feed and the carriage return of a CRLF; DEL; C1
    /// controls; bidirectional overrides) replaced by a visible one of the
    /// same length in bytes and characters (`?`, `¿`, `�`), so that byte
    /// offsets, line numbers and columns stay those of the file.
    pub fn shown_text(&self) -> &str {
        self.shown
            .get_or_init(|| {
                let acts = |(i, c): (usize, char)| {
                    terminal_acts_on(c) && !(c == '\r' && self.text[i + 1..].starts_with('\n'))
                };
                self.text.char_indices().any(acts).then(|| {
                    self.text
                        .char_indices()
                        .map(|(i, c)| match c.len_utf8() {
                            _ if !acts((i, c)) => c,
                            1 => '?',
                            2 => '¿',
                            _ => '\u{fffd}',
                        })
                        .collect()
                })
            })
            .as_deref()
            .unwrap_or(&self.text)
    }

    fn line_marks(&self) -> &[usize] {
        self.line_marks.get_or_init(|| {
            let mut marks: Vec<usize> = std::iter::once(0)
                .chain(
                    memchr::memchr_iter(b'\n', self.text.as_bytes())
                        .skip(LINES_PER_MARK - 1)
                        .step_by(LINES_PER_MARK)
                        .map(|i| i + 1),
                )
                .collect();
            marks.shrink_to_fit();
            marks
        })
    }

    /// Byte offset of the start of a 0-based line; `None` past the last.
    fn find_line_start(&self, index: usize) -> Option<usize> {
        let mut start = *self.line_marks().get(index / LINES_PER_MARK)?;
        for _ in 0..index % LINES_PER_MARK {
            start += memchr::memchr(b'\n', &self.text.as_bytes()[start..])? + 1;
        }
        Some(start)
    }

    /// Byte offset of a 1-based line and 1-based column counted in characters
    /// (the parser counts columns in characters, miette wants bytes).
    /// Positions past the end clamp to the end of the text.
    pub fn byte_offset(&self, line: u32, column: u32) -> usize {
        let Some(start) = self.find_line_start(line.saturating_sub(1) as usize) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let skip = column.saturating_sub(1) as usize;
        rest.char_indices()
            .nth(skip)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(start) = self.find_line_start(line.saturating_sub(1) as usize) else {
            return "";
        };
        let end = start + self.rest_of_line_len(start);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The 0-based line that holds a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        let marks = self.line_marks();
        let mark = marks
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let end = offset.min(self.text.len());
        let between = &self.text.as_bytes()[marks[mark]..end];
        mark * LINES_PER_MARK + memchr::memchr_iter(b'\n', between).count()
    }

    /// Byte offset of the start of a 0-based line (the end of the text past
    /// the last line).
    pub fn line_start(&self, index: usize) -> usize {
        self.find_line_start(index).unwrap_or(self.text.len())
    }

    /// Byte length of the text from `start` to the end of that line.
    pub fn rest_of_line_len(&self, start: usize) -> usize {
        self.text[start.min(self.text.len())..]
            .find('\n')
            .unwrap_or(self.text.len() - start.min(self.text.len()))
    }
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
        let shown = file.shown_text();
        assert_eq!(shown, "a: \"?]0;x?\"\r\n# ¿31m \u{fffd}z?w\n");
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown.chars().count(), text.chars().count());
        let plain = SourceFile::new("t.yaml", "a: 1\r\n".to_string());
        assert!(std::ptr::eq(plain.shown_text(), plain.text.as_str()));
    }

    #[test]
    fn byte_offsets_follow_characters_not_bytes() {
        let file = SourceFile::new("t.yaml", "a: 1\nnäme: x\n".to_string());
        assert_eq!(file.byte_offset(1, 1), 0);
        assert_eq!(file.byte_offset(2, 1), 5);
        // "n", "ä" (2 bytes), "m", "e", ":" -> column 6 is the space after ':'.
        assert_eq!(file.byte_offset(2, 6), 5 + 6);
        assert_eq!(file.byte_offset(9, 1), file.text.len());
        assert_eq!(file.line_text(2), "näme: x");
        assert_eq!(
            (file.line_index(0), file.line_index(4), file.line_index(5)),
            (0, 0, 1)
        );
        assert_eq!(
            (file.line_start(1), file.line_start(9)),
            (5, file.text.len())
        );
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
                proptest::prop_assert_eq!(file.line_text(index as u32 + 1), text[start..end].trim_end_matches('\r'));
            }
            proptest::prop_assert_eq!(file.line_start(starts.len()), text.len());
            for offset in 0..=text.len() {
                let expected = starts.partition_point(|&s| s <= offset) - 1;
                proptest::prop_assert_eq!(file.line_index(offset), expected);
            }
        }
    }
}
