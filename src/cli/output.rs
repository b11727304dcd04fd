//! stdout for reports (buffered, and quiet about a closed pipe), and
//! notes on stderr.

use std::io::{self, BufWriter, Write};

/// The report writer. The first write error is kept and later writes are
/// skipped, so a closed pipe ends the output without noise.
pub struct Stdout {
    writer: BufWriter<io::Stdout>,
    error: Option<io::Error>,
}

impl Stdout {
    pub fn new() -> Self {
        Stdout {
            writer: BufWriter::with_capacity(64 * 1024, io::stdout()),
            error: None,
        }
    }

    pub fn write_str(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(error) = self.writer.write_all(text.as_bytes())
        {
            self.error = Some(error);
        }
    }

    /// Runs a writer function against stdout, keeping its first error.
    pub fn with(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
        if self.error.is_none()
            && let Err(error) = write(&mut self.writer)
        {
            self.error = Some(error);
        }
    }

    pub fn finish(mut self) -> io::Result<()> {
        match self.error.take() {
            Some(error) => Err(error),
            None => self.writer.flush(),
        }
    }
}

/// A line for the user beside the report (stderr), never part of it.
pub fn note(text: &str) {
    stderr_line(&format!("meshctl: {text}"));
}

/// Writes one line to stderr. A closed or full stderr (`2>/dev/full`) is
/// not a reason to panic or to change the exit status, so errors are
/// dropped.
pub fn stderr_line(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}
