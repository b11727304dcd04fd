//! Source text of one input, with the line table that turns a (line, column)
//! position back into a byte offset for snippets.

use std::sync::{Arc, OnceLock};

/// One input file (or stdin), kept whole so that diagnostics can show snippets.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `-` for stdin); this is what reports print.
    pub name: String,
    pub text: String,
    /// Byte offset of the start of every line; built on first use, since
    /// only files with findings (or syntax errors) need it.
    line_starts: OnceLock<Vec<usize>>,
    /// The text as a terminal may show it, built on first use: `None` when
    /// the text holds no control character (see [`SourceFile::shown_text`]).
    shown: OnceLock<Option<String>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text,
            line_starts: OnceLock::new(),
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

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// Byte offset of a 1-based line and 1-based column counted in characters
    /// (the parser counts columns in characters, miette wants bytes).
    /// Positions past the end clamp to the end of the text.
    pub fn byte_offset(&self, line: u32, column: u32) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1) as usize) else {
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
        let index = line.saturating_sub(1) as usize;
        let starts = self.line_starts();
        let Some(&start) = starts.get(index) else {
            return "";
        };
        let end = starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The 0-based line that holds a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Byte offset of the start of a 0-based line (the end of the text past
    /// the last line).
    pub fn line_start(&self, index: usize) -> usize {
        self.line_starts()
            .get(index)
            .copied()
            .unwrap_or(self.text.len())
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
}
