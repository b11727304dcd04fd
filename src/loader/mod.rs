//! Bytes to documents: finds the input files, reads them, and parses every
//! document into a spanned [`Node`] tree.
//!
//! Invariants: loading never panics and never stops at a bad document; each
//! problem becomes a [`LoadProblem`] on its document. Only a path that cannot
//! be read at all is an [`InputError`] (the command then exits 2).

mod flow_indent;
mod input;
mod node;
mod reuse;
mod source;
mod stream;
mod yaml;

use std::sync::Arc;

use input::input_error;
pub use input::{
    Content, Found, Input, InputError, InputSpec, WalkOptions, classify, collect_inputs,
    walk_inputs,
};
pub use node::{Entry, Node, Pos, Value, push_key, quoted, shortened, with_long_values_cut};
pub use reuse::{Streamed, for_each_document_reusing};
pub use source::{SourceFile, terminal_acts_on};
pub use yaml::{
    LoadProblem, ParsedDocument, ProblemKind, for_each_document, parse_documents, reparse_document,
};

/// The most `--max-depth` may allow, whatever is asked: the checks walk
/// trees recursively, and nesting much deeper than this (Kubernetes' own
/// readers stop at 10,000) would overflow their stack. No manifest comes
/// near it.
pub const MAX_DEPTH_CEILING: usize = 1000;

/// Bounds that keep hostile input from eating time or memory. Each has a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `--max-file-bytes`
    pub max_file_bytes: u64,
    /// `--max-document-bytes`
    pub max_document_bytes: usize,
    /// `--max-depth`: nesting of mappings and lists.
    pub max_depth: usize,
    /// `--max-alias-nodes`: nodes that alias expansion may create per document.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
            // etcd refuses objects over 1.5 MiB; leave room for generated lists.
            max_document_bytes: 8 * 1024 * 1024,
            max_depth: 128,
            max_alias_nodes: 100_000,
        }
    }
}

/// One input file, parsed.
#[derive(Debug)]
pub struct LoadedFile {
    pub source: Arc<SourceFile>,
    pub documents: Vec<ParsedDocument>,
}

/// Reads and parses one input.
pub fn load_file(input: &Input, limits: &Limits) -> Result<LoadedFile, InputError> {
    let mut documents = Vec::new();
    let source = stream_file(input, limits, |_, document| documents.push(document))?;
    Ok(LoadedFile { source, documents })
}

/// Reads one input and hands its documents to `sink` one at a time, as
/// they are parsed: a caller that is done with each before the next keeps
/// memory proportional to the largest document, not the largest file (a
/// large file or pipe is read a document at a time, see `stream.rs`).
pub fn stream_file(
    input: &Input,
    limits: &Limits,
    mut sink: impl FnMut(&Arc<SourceFile>, ParsedDocument),
) -> Result<Arc<SourceFile>, InputError> {
    let (source, problem) = match stream::read_input(input, limits, &mut sink)? {
        stream::ReadInput::Streamed(source) => return Ok(source),
        stream::ReadInput::Whole(source, problem) => (source, problem),
    };
    match problem {
        Some(problem) => sink(&source, unreadable(problem)),
        None => for_each_document(&source, limits, |document| sink(&source, document)),
    }
    Ok(source)
}

/// [`stream_file`], passing over the documents `known` recognises by
/// their text (see [`for_each_document_reusing`]).
pub fn stream_file_reusing<T>(
    input: &Input,
    limits: &Limits,
    known: impl Fn(&str) -> Option<T>,
    mut sink: impl FnMut(&Arc<SourceFile>, Streamed<T>),
) -> Result<Arc<SourceFile>, InputError> {
    let (source, problem) = input.read(limits)?;
    match problem {
        Some(problem) => sink(&source, Streamed::Parsed(unreadable(problem))),
        None => {
            for_each_document_reusing(&source, limits, known, |document| sink(&source, document))
        }
    }
    Ok(source)
}

/// The one document of a file whose text could not be read as a whole.
fn unreadable(problem: LoadProblem) -> ParsedDocument {
    ParsedDocument {
        index: 0,
        start: problem.pos,
        span: 0..0,
        root: None,
        problems: vec![problem],
    }
}

/// Every manifest of `testdata/` (`.yaml`, `.yml`, `.json`) with its text.
#[cfg(test)]
fn testdata_manifests() -> Vec<(std::path::PathBuf, String)> {
    let mut folders = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata"
    ))];
    let mut manifests = Vec::new();
    while let Some(path) = folders.pop() {
        if path.is_dir() {
            folders.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let manifest = path
            .extension()
            .is_some_and(|e| matches!(e.to_str(), Some("yaml" | "yml" | "json")));
        if let Some(text) = manifest
            .then(|| std::fs::read_to_string(&path).ok())
            .flatten()
        {
            manifests.push((path, text));
        }
    }
    assert!(manifests.len() > 50, "{} fixtures", manifests.len());
    manifests
}
