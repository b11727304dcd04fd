//! Which files to read: paths, directories (recursive, sorted) and stdin.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::yaml::{LoadProblem, ProblemKind};
use super::{Limits, Pos, SourceFile};

/// What the user named on the command line.
#[derive(Debug, Clone, Default)]
pub struct InputSpec {
    pub paths: Vec<String>,
    pub follow_symlinks: bool,
}

/// One file to read (or stdin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// A path that cannot be read at all: the command cannot do its job.
#[derive(Debug)]
pub struct InputError {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path, self.reason)
    }
}

impl std::error::Error for InputError {}

fn input_error(path: &Path, error: impl fmt::Display) -> InputError {
    InputError {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}

const CONFIG_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Expands the user's paths into files: a directory contributes its
/// `*.yaml|*.yml|*.json` files, recursively and in sorted order; a named file
/// is read whatever its extension; `-` is stdin (once).
pub fn collect_inputs(spec: &InputSpec) -> Result<Vec<Input>, InputError> {
    let mut inputs = Vec::new();
    let mut stdin_taken = false;
    for raw in &spec.paths {
        if raw == "-" {
            if !stdin_taken {
                inputs.push(Input::Stdin);
                stdin_taken = true;
            }
            continue;
        }
        let path = Path::new(raw);
        let meta = fs::metadata(path).map_err(|e| input_error(path, e))?;
        if meta.is_dir() {
            let mut visited = HashSet::new();
            walk_directory(path, spec.follow_symlinks, &mut visited, &mut inputs)?;
        } else {
            inputs.push(Input::File(path.to_path_buf()));
        }
    }
    Ok(inputs)
}

fn walk_directory(
    dir: &Path,
    follow_symlinks: bool,
    visited: &mut HashSet<PathBuf>,
    out: &mut Vec<Input>,
) -> Result<(), InputError> {
    // The canonical path identifies a directory however it was reached, so a
    // symlink loop is entered once only.
    let canonical = fs::canonicalize(dir).map_err(|e| input_error(dir, e))?;
    if !visited.insert(canonical) {
        return Ok(());
    }
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| input_error(dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let Ok(link_meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if link_meta.file_type().is_symlink() && !follow_symlinks {
            continue;
        }
        let Ok(meta) = fs::metadata(&path) else {
            continue; // a dangling link
        };
        if meta.is_dir() {
            walk_directory(&path, follow_symlinks, visited, out)?;
        } else if has_config_extension(&path) {
            out.push(Input::File(path));
        }
    }
    Ok(())
}

fn has_config_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CONFIG_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

impl Input {
    pub fn display_name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }

    /// Reads the whole input. A file over the size bound, or one that is not
    /// UTF-8, is not an input error: it comes back empty with a problem to report.
    pub fn read(
        &self,
        limits: &Limits,
    ) -> Result<(Arc<SourceFile>, Option<LoadProblem>), InputError> {
        let name = self.display_name();
        let mut bytes = Vec::new();
        let reader: Box<dyn Read> = match self {
            Input::File(path) => Box::new(fs::File::open(path).map_err(|e| input_error(path, e))?),
            Input::Stdin => Box::new(std::io::stdin().lock()),
        };
        reader
            .take(limits.max_file_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| input_error(Path::new(&name), e))?;
        if bytes.len() as u64 > limits.max_file_bytes {
            let problem = LoadProblem {
                kind: ProblemKind::LimitExceeded,
                pos: Pos { line: 1, column: 1 },
                related: None,
                message: format!("file is larger than {} bytes", limits.max_file_bytes),
                help: Some("raise the bound with --max-file-bytes if this input is trusted".into()),
            };
            return Ok((SourceFile::new(name, String::new()), Some(problem)));
        }
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.replace_range(..3, "");
                }
                Ok((SourceFile::new(name, text), None))
            }
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let bytes = error.into_bytes();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let before = String::from_utf8_lossy(&bytes[..valid]);
                let line = before.matches('\n').count() as u32 + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
                let problem = LoadProblem {
                    kind: ProblemKind::Syntax,
                    pos: Pos { line, column },
                    related: None,
                    message: "the file is not UTF-8 text".into(),
                    help: Some("Kubernetes manifests must be UTF-8".into()),
                };
                Ok((SourceFile::new(name, text), Some(problem)))
            }
        }
    }
}
