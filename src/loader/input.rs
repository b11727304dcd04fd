//! Which files to read: paths, directories (recursive, sorted, as ripgrep
//! walks them) and stdin.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use memchr::memmem;

use super::yaml::{LoadProblem, StreamOffset, not_utf8_problem};
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

/// A file past `--max-file-bytes`.
pub(super) fn too_large(limits: &Limits) -> LoadProblem {
    LoadProblem::limit(
        Pos { line: 1, column: 1 },
        format!("file is larger than {} bytes", limits.max_file_bytes),
        "--max-file-bytes",
    )
}

pub(super) fn input_error(path: &Path, error: impl fmt::Display) -> InputError {
    InputError {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}

const CONFIG_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// How directories are walked, as ripgrep does: hidden files and folders
/// and `.gitignore`d paths are skipped unless asked for.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// `--include-hidden`: also enter dot-folders and read dot-files.
    pub include_hidden: bool,
    /// `--exclude GLOB`: paths below a walked directory not to read
    /// (gitignore syntax, relative to that directory).
    pub exclude: Vec<String>,
}

/// How an input was found: named on the command line, or met during a
/// directory walk (which is allowed to pass over files that are not
/// Kubernetes manifests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Named,
    Walked,
    /// Met during a walk with a config extension but not a regular file (a
    /// FIFO, a socket, a device): never opened, since reading one can block
    /// forever or never end; only counted. Named on the command line, such
    /// a path is read (`<(kustomize build)` is a FIFO).
    NotRegular,
}

/// Expands the user's paths into files: a directory contributes its
/// `*.yaml|*.yml|*.json` files, recursively and in sorted order; a named file
/// is read whatever its extension; `-` is stdin (once).
pub fn collect_inputs(spec: &InputSpec) -> Result<Vec<Input>, InputError> {
    let found = walk_inputs(spec, &WalkOptions::default())?;
    Ok(found
        .into_iter()
        .filter(|(_, how)| *how != Found::NotRegular)
        .map(|(input, _)| input)
        .collect())
}

/// [`collect_inputs`] with walk options, telling for each input how it
/// was found.
pub fn walk_inputs(
    spec: &InputSpec,
    options: &WalkOptions,
) -> Result<Vec<(Input, Found)>, InputError> {
    let mut inputs = Vec::new();
    let mut stdin_taken = false;
    for raw in &spec.paths {
        if raw == "-" {
            if !stdin_taken {
                inputs.push((Input::Stdin, Found::Named));
                stdin_taken = true;
            }
            continue;
        }
        let path = Path::new(raw);
        let meta = fs::metadata(path).map_err(|e| input_error(path, e))?;
        if meta.is_dir() {
            walk_directory(path, spec.follow_symlinks, options, &mut inputs)?;
        } else {
            inputs.push((Input::File(path.to_path_buf()), Found::Named));
        }
    }
    Ok(inputs)
}

fn walk_directory(
    dir: &Path,
    follow_symlinks: bool,
    options: &WalkOptions,
    out: &mut Vec<(Input, Found)>,
) -> Result<(), InputError> {
    let mut excluded = OverrideBuilder::new(dir);
    for glob in &options.exclude {
        excluded.add(&format!("!{glob}")).map_err(|e| InputError {
            path: format!("--exclude {glob}"),
            reason: e.to_string(),
        })?;
    }
    let excluded = excluded.build().map_err(|e| input_error(dir, e))?;
    // require_git(false): a checkout without .git (a CI artifact, a tarball)
    // keeps its .gitignore meaning. The walker detects symlink loops.
    let walker = WalkBuilder::new(dir)
        .hidden(!options.include_hidden)
        .follow_links(follow_symlinks)
        .require_git(false)
        .git_global(false)
        .overrides(excluded)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // The folder named cannot be listed: the run cannot be done.
            Err(error) if error.depth() == Some(0) => return Err(input_error(dir, error)),
            // An unreadable entry, a dangling link or a link loop below it.
            Err(_) => continue,
        };
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() || kind.is_symlink() || !has_config_extension(entry.path()) {
            continue;
        }
        let how = if kind.is_file() {
            Found::Walked
        } else {
            Found::NotRegular
        };
        out.push((Input::File(entry.into_path()), how));
    }
    Ok(())
}

/// What a file met during a walk holds, judged from its text before it is
/// parsed, so that a repository root can be walked without reporting CI
/// workflows, Helm values and charts as broken resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Manifest,
    /// Helm or Go template markers where YAML structure goes: the file is
    /// only YAML once rendered.
    Template,
    /// No document names a `kind`, nor an `apiVersion` of an API group
    /// (Helm's `Chart.yaml` has `apiVersion: v2` and no kind).
    NotManifest,
}

pub fn classify(text: &str) -> Content {
    if has_template_marker(text) {
        return Content::Template;
    }
    let trimmed = text.trim_start();
    let is_manifest = if trimmed.starts_with(['{', '[']) {
        trimmed.contains("kind")
    } else {
        has_manifest_key(text)
    };
    if is_manifest {
        Content::Manifest
    } else {
        Content::NotManifest
    }
}

/// Whether a line holds template markers where YAML structure goes. Only
/// the lines around a `{{` are looked at: a walk judges every file it meets,
/// and most lines of a manifest have none.
fn has_template_marker(text: &str) -> bool {
    memmem::find_iter(text.as_bytes(), b"{{").any(|at| is_template_line(line_around(text, at)))
}

/// `{{- if .Values.x }}` on a line of its own, or `key: {{ .Values.x }}`
/// and `- {{ ... }}` as unquoted values. A quoted `"{{ $value }}"`, as in
/// alerting rules, is only text, and so is a `: {{` after anything but a
/// plain key (a Grafana legend, `{{ pod }}: {{ tag }}`, in a dashboard
/// rendered into a ConfigMap).
fn is_template_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    item.starts_with("{{")
        || item.split_once(": {{").is_some_and(|(key, _)| {
            !key.is_empty()
                && key.chars().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '"' | '\'')
                })
        })
}

/// A top-level `kind:` key, or `apiVersion: group/version`; the search stops
/// at the first.
fn has_manifest_key(text: &str) -> bool {
    lines_starting_with(text, b"kind:").next().is_some()
        || lines_starting_with(text, b"apiVersion:").any(|line| {
            line.strip_prefix("apiVersion:")
                .is_some_and(|version| version.contains('/'))
        })
}

/// The lines of `text` that start with `key`, found without walking every line.
fn lines_starting_with<'a>(text: &'a str, key: &'a [u8]) -> impl Iterator<Item = &'a str> + 'a {
    memmem::find_iter(text.as_bytes(), key)
        .filter(move |&at| at == 0 || text.as_bytes()[at - 1] == b'\n')
        .map(move |at| line_around(text, at))
}

/// The line of `text` that byte `at` lies on.
fn line_around(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
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
        let (reader, metadata) = self.open()?;
        self.read_rest(Vec::new(), reader, metadata.as_ref(), limits)
    }

    /// The input's reader, and for a file its metadata as it was opened:
    /// what a text let go is read back against (see `SourceFile::on_disk`).
    pub(super) fn open(&self) -> Result<(Box<dyn Read>, Option<fs::Metadata>), InputError> {
        match self {
            Input::File(path) => {
                let file = fs::File::open(path).map_err(|e| input_error(path, e))?;
                let metadata = file.metadata().ok();
                Ok((Box::new(file), metadata))
            }
            Input::Stdin => Ok((Box::new(std::io::stdin().lock()), None)),
        }
    }

    /// [`Input::read`] of an input opened, whose first `bytes` were read.
    pub(super) fn read_rest(
        &self,
        mut bytes: Vec<u8>,
        reader: Box<dyn Read>,
        metadata: Option<&fs::Metadata>,
        limits: &Limits,
    ) -> Result<(Arc<SourceFile>, Option<LoadProblem>), InputError> {
        let name = self.display_name();
        // One allocation of the file's size, not a doubling one that ends
        // up to twice as large.
        let size = metadata.map_or(0, fs::Metadata::len);
        bytes.reserve_exact(
            (size.min(limits.max_file_bytes + 1) as usize + 1).saturating_sub(bytes.len()),
        );
        reader
            .take((limits.max_file_bytes + 1).saturating_sub(bytes.len() as u64))
            .read_to_end(&mut bytes)
            .map_err(|e| input_error(Path::new(&name), e))?;
        if bytes.len() as u64 > limits.max_file_bytes {
            return Ok((
                SourceFile::new(name, String::new()),
                Some(too_large(limits)),
            ));
        }
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                // The text is kept for the whole run: not the reader's
                // spare capacity (up to as much again).
                text.shrink_to_fit();
                match self {
                    // Read as is: its text can be let go and read back.
                    Input::File(path) if !text.starts_with('\u{feff}') => {
                        Ok((SourceFile::on_disk(name, text, path, metadata), None))
                    }
                    _ => {
                        if text.starts_with('\u{feff}') {
                            text.replace_range(..3, "");
                        }
                        Ok((SourceFile::new(name, text), None))
                    }
                }
            }
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let bytes = error.into_bytes();
                let problem = not_utf8_problem(&bytes[..valid], StreamOffset::default());
                let text = String::from_utf8_lossy(&bytes).into_owned();
                Ok((SourceFile::new(name, text), Some(problem)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Content, classify};

    #[test]
    fn walked_files_are_judged_by_their_text() {
        let manifest = "# routes\napiVersion: networking.istio.io/v1\nkind: VirtualService\n";
        assert_eq!(classify(manifest), Content::Manifest);
        assert_eq!(classify("a: 1\n---\nkind: Service\n"), Content::Manifest);
        assert_eq!(classify("{\"kind\": \"Service\"}"), Content::Manifest);
        // Helm's Chart.yaml, a values file, a workflow: no kind, no group.
        assert_eq!(
            classify("apiVersion: v2\nname: chart\n"),
            Content::NotManifest
        );
        assert_eq!(
            classify("replicas: 2\nimage: {tag: x}\n"),
            Content::NotManifest
        );
        assert_eq!(
            classify("on: push\njobs:\n  kind: build\n"),
            Content::NotManifest
        );
        // Template markers where YAML structure goes, anywhere in the file.
        let chart = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n";
        assert_eq!(classify(chart), Content::Template);
        assert_eq!(
            classify("kind: A\n{{- if .Values.x }}\n"),
            Content::Template
        );
        assert_eq!(classify("kind: A\nitems:\n- {{ .x }}\n"), Content::Template);
        assert_eq!(
            classify("kind: A\nlabels:\n  app.kubernetes.io/name: {{ .x }}\n"),
            Content::Template
        );
        // Quoted, it is only text.
        assert_eq!(
            classify("kind: Rule\nsummary: \"{{ $value }}\"\n"),
            Content::Manifest
        );
        // A rendered dashboard whose quoted legend runs over lines: `: {{`
        // after text that is no key.
        let dashboard = "kind: ConfigMap\ndata:\n  d.json: \"{\\\"legend\\\":\\\"{{\n    pod }}: {{ tag }}\\\"}\"\n";
        assert_eq!(classify(dashboard), Content::Manifest);
    }
}
