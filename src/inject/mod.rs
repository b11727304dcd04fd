//! The kube-inject engine: Istio's sidecar injection of workload manifests,
//! modelled as Rust driven by the injector's values, the MeshConfig and
//! the pods' own annotations (no template engine: every added field has
//! its reason in `template.rs` and `pod.rs`).
//!
//! A stream is read document by document (split at `---` lines, as
//! Kubernetes splits YAML streams), so memory holds one document at a
//! time. Workloads and `List`s of them are rewritten; every other
//! document, and the separators and comments around documents, are copied
//! byte for byte.

mod config;
mod grpc;
mod merge;
mod pod;
mod probes;
mod prometheus;
mod remove;
mod steering;
mod template;
mod tree;
mod workload;
mod write;

use std::fmt;
use std::io::{self, BufRead, Write};

pub use config::{ConfigError, ISTIO_VERSION, InjectConfig, MeshSettings, Policy, Values};
pub use steering::Skip;
pub use workload::{Mode, Notice, Noticed};

use rayon::prelude::*;

use crate::loader::{Limits, ProblemKind, SourceFile, parse_documents};

/// How rewritten documents are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// What to do with a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub mode: Mode,
    /// `-o`: `None` writes each document in the language it came in.
    pub format: Option<Format>,
    /// `--diff`: a unified diff per changed workload instead of manifests.
    pub diff: bool,
}

/// Why a stream could not be rewritten: the document (file, 0-based
/// index, `Kind/name`), the field, the line where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    pub file: String,
    pub index: usize,
    pub line: Option<u32>,
    pub object: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": document {}", self.index)?;
        if let Some(object) = &self.object {
            write!(f, " ({object})")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A stream that could not be rewritten.
#[derive(Debug)]
pub enum StreamError {
    Document(DocumentError),
    Io(io::Error),
}

impl From<io::Error> for StreamError {
    fn from(error: io::Error) -> Self {
        StreamError::Io(error)
    }
}

/// What a stream held.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub documents: usize,
    /// Workload documents changed.
    pub rewritten: usize,
    /// Pods left alone and warnings, for stderr.
    pub notices: Vec<Notice>,
}

/// One document of a stream as read: the separator line before it (empty
/// for the first), its text, and the line its text starts on.
struct Chunk {
    separator: String,
    body: String,
    line: u32,
}

/// Rewrites a YAML (or JSON) stream into `out`. `name` is the file as
/// messages give it.
pub fn rewrite_stream(
    name: &str,
    reader: impl BufRead,
    config: &InjectConfig,
    options: Options,
    out: &mut dyn Write,
) -> Result<Counts, StreamError> {
    let mut counts = Counts::default();
    let mut batch = Vec::with_capacity(BATCH);
    let mut index = 0;
    for_each_chunk(reader, |chunk| {
        batch.push((index, chunk));
        index += 1;
        if batch.len() == BATCH {
            rewrite_batch(name, &mut batch, config, options, &mut counts, out)?;
        }
        Ok(())
    })?;
    rewrite_batch(name, &mut batch, config, options, &mut counts, out)?;
    counts.documents = index;
    Ok(counts)
}

/// Documents rewritten at once: enough to keep every core busy, few enough
/// that memory stays flat however long the stream.
const BATCH: usize = 256;

/// Rewrites a batch of documents on every core, then writes them in
/// order; the first error in document order stops the stream.
fn rewrite_batch(
    name: &str,
    batch: &mut Vec<(usize, Chunk)>,
    config: &InjectConfig,
    options: Options,
    counts: &mut Counts,
    out: &mut dyn Write,
) -> Result<(), StreamError> {
    let results: Vec<Result<(Vec<u8>, Counts), StreamError>> = batch
        .par_drain(..)
        .map(|(index, chunk)| {
            let (mut bytes, mut own) = (Vec::new(), Counts::default());
            rewrite_chunk(name, index, chunk, config, options, &mut own, &mut bytes)?;
            Ok((bytes, own))
        })
        .collect();
    for result in results {
        let (bytes, own) = result?;
        out.write_all(&bytes)?;
        counts.rewritten += own.rewritten;
        counts.notices.extend(own.notices);
    }
    Ok(())
}

/// Splits a stream at lines that are `---` (with nothing but spaces after),
/// as Kubernetes' YAML reader does.
fn for_each_chunk(
    mut reader: impl BufRead,
    mut each: impl FnMut(Chunk) -> Result<(), StreamError>,
) -> Result<(), StreamError> {
    let mut chunk = Chunk {
        separator: String::new(),
        body: String::new(),
        line: 1,
    };
    let mut line_no = 0u32;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        line_no += 1;
        let text = String::from_utf8(std::mem::take(&mut line)).map_err(|_| {
            StreamError::Io(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("line {line_no} is not UTF-8 text"),
            ))
        })?;
        if is_separator(&text) {
            let done = std::mem::replace(
                &mut chunk,
                Chunk {
                    separator: text,
                    body: String::new(),
                    line: line_no + 1,
                },
            );
            if line_no > 1 || !done.body.is_empty() || !done.separator.is_empty() {
                each(done)?;
            }
        } else {
            let text = if line_no == 1 {
                text.trim_start_matches('\u{feff}').to_string()
            } else {
                text
            };
            chunk.body.push_str(&text);
        }
    }
    if !chunk.body.is_empty() || !chunk.separator.is_empty() {
        each(chunk)?;
    }
    Ok(())
}

fn is_separator(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.trim().is_empty())
}

#[allow(clippy::too_many_arguments)]
fn rewrite_chunk(
    name: &str,
    index: usize,
    chunk: Chunk,
    config: &InjectConfig,
    options: Options,
    counts: &mut Counts,
    out: &mut dyn Write,
) -> Result<(), StreamError> {
    let error =
        |line: Option<u32>, object: Option<String>, field: Option<String>, message: String| {
            StreamError::Document(DocumentError {
                file: name.to_string(),
                index,
                line,
                object,
                field,
                message,
            })
        };
    // The source owns the text; `body` is it, for copying and comments.
    let source = SourceFile::new(name, chunk.body);
    let body = source.text();
    let documents = parse_documents(&source, &Limits::default());
    let mut doc = None;
    for document in &documents {
        if let Some(problem) = document
            .problems
            .iter()
            .find(|p| p.kind != ProblemKind::DuplicateKey)
        {
            return Err(error(
                Some(chunk.line + problem.pos.line - 1),
                kind_and_name_in_text(body),
                None,
                format!("not valid YAML: {}", problem.message),
            ));
        }
        doc = doc.or(document.root.as_ref());
    }
    // Only workloads are converted to JSON: the rest is copied as it came.
    let rewritable = doc.is_some_and(|d| {
        d.get_str("kind")
            .is_some_and(|kind| workload::is_rewritable_kind(kind, d.get("items").is_some()))
    });
    let Some(doc) = doc.filter(|_| rewritable) else {
        if !options.diff {
            out.write_all(chunk.separator.as_bytes())?;
            out.write_all(body.as_bytes())?;
        }
        return Ok(());
    };
    let mut value = doc.to_json();
    if let Some(duplicate) = documents.iter().flat_map(|d| &d.problems).next() {
        return Err(error(
            Some(chunk.line + duplicate.pos.line - 1),
            Some(workload::describe(&value)),
            None,
            duplicate.message.clone(),
        ));
    }
    let original = options.diff.then(|| value.clone());
    let changed = workload::rewrite(&mut value, options.mode, config, &mut counts.notices)
        .map_err(|e| error(None, Some(e.object), Some(e.field), e.message))?;
    if changed {
        counts.rewritten += 1;
    }
    if let Some(original) = original {
        if changed {
            let label = format!("{name}#{index} {}", workload::describe(&original));
            out.write_all(diff(&label, original, value).as_bytes())?;
        }
        return Ok(());
    }
    if !changed {
        out.write_all(chunk.separator.as_bytes())?;
        out.write_all(body.as_bytes())?;
        return Ok(());
    }
    let format = options.format.unwrap_or(if is_json_text(body) {
        Format::Json
    } else {
        Format::Yaml
    });
    let text = match format {
        Format::Yaml => write::yaml(value),
        Format::Json => write::json(value),
    };
    let (leading, trailing) = surrounding_comments(body);
    out.write_all(chunk.separator.as_bytes())?;
    out.write_all(leading.as_bytes())?;
    out.write_all(text.as_bytes())?;
    out.write_all(trailing.as_bytes())?;
    Ok(())
}

/// `Kind/name` of a document that does not parse, as far as its lines
/// tell (a top-level `kind:` and the first `name:` under `metadata:`).
fn kind_and_name_in_text(body: &str) -> Option<String> {
    let value = |line: &str, key: &str| {
        line.strip_prefix(key)
            .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    };
    let kind = body.lines().find_map(|l| value(l, "kind:"))?;
    let metadata = body.lines().skip_while(|l| !l.starts_with("metadata:"));
    let name = metadata
        .skip(1)
        .take_while(|l| l.starts_with(' ') || l.is_empty())
        .find_map(|l| value(l.trim_start(), "name:"))
        .unwrap_or_else(|| "<no name>".into());
    Some(format!("{kind}/{name}"))
}

/// Whether a document is written in JSON (its content starts with `{`).
fn is_json_text(body: &str) -> bool {
    body.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with('{'))
}

/// The comment and blank lines before a document's content and after it,
/// kept around the rewritten document.
fn surrounding_comments(body: &str) -> (&str, &str) {
    let is_content = |line: &str| {
        let t = line.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let first = lines
        .iter()
        .position(|l| is_content(l))
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| is_content(l))
        .map_or(first, |i| i + 1);
    let start: usize = lines[..first].iter().map(|l| l.len()).sum();
    let end: usize = lines[..last].iter().map(|l| l.len()).sum();
    (&body[..start], &body[end..])
}

/// A unified diff of a workload before and after, as YAML.
fn diff(label: &str, before: serde_json::Value, after: serde_json::Value) -> String {
    let (old, new) = (write::yaml(before), write::yaml(after));
    similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{label} (original)"),
            &format!("{label} (injected)"),
        )
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> String {
        let mut out = Vec::new();
        let options = Options {
            mode: Mode::Inject,
            format: None,
            diff: false,
        };
        rewrite_stream(
            "in.yaml",
            input.as_bytes(),
            &InjectConfig::default(),
            options,
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn other_documents_and_separators_come_out_byte_for_byte() {
        let input = "# head\napiVersion: v1\nkind: Service\nmetadata: {name: a}   # odd\n---  \n# between\n---\nkind: Unknown\nx: [1,2]\n";
        assert_eq!(run(input), input);
    }

    #[test]
    fn comments_around_a_workload_stay() {
        let input = "# before\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: b}]\n# after\n---\nkind: Service\n";
        let out = run(input);
        assert!(
            out.starts_with("# before\napiVersion") || out.starts_with("# before\nkind: Pod"),
            "{out}"
        );
        assert!(out.ends_with("# after\n---\nkind: Service\n"), "{out}");
        assert!(out.contains("name: istio-proxy"), "{out}");
    }
}
