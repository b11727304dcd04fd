//! Bytes to documents: finds the input files, reads them, and parses every
//! document into a spanned [`Node`] tree.
//!
//! Invariants: loading never panics and never stops at a bad document; each
//! problem becomes a [`LoadProblem`] on its document. Only a path that cannot
//! be read at all is an [`InputError`] (the command then exits 2).

mod input;
mod node;
mod source;
mod yaml;

use std::sync::Arc;

pub use input::{
    Content, Found, Input, InputError, InputSpec, WalkOptions, classify, collect_inputs,
    walk_inputs,
};
pub use node::{Entry, Node, Pos, Value, push_key, quoted};
pub use source::SourceFile;
pub use yaml::{LoadProblem, ParsedDocument, ProblemKind, parse_documents, reparse_document};

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
    let (source, problem) = input.read(limits)?;
    let documents = match problem {
        Some(problem) => vec![ParsedDocument {
            index: 0,
            start: problem.pos,
            span: 0..0,
            root: None,
            problems: vec![problem],
        }],
        None => parse_documents(&source, limits),
    };
    Ok(LoadedFile { source, documents })
}
