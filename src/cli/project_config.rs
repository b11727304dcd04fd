//! The project configuration file, `.meshctl.yaml`, found by walking up
//! from the working directory (the nearest one wins):
//!
//! ```yaml
//! rules:                 # by code or name: on, off, error, warning or info
//!   IST0118: off
//!   unknown-field: warning
//! ignore:                # paths not to read, relative to this file
//!   - vendor/            # a folder
//!   - "*.generated.yaml" # a name at any depth
//! suppress:              # as --suppress (lint)
//!   - "IST0102=Namespace default"
//! ```

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::analyze::suppress::FlagSuppression;
use crate::loader::{
    Input, Limits, LoadProblem, Node, ParsedDocument, Pos, SourceFile, Value, parse_documents,
    quoted,
};
use crate::model::SchemaRules;
use crate::model::de::from_node;
use crate::report::{Diagnostic, Level};
use crate::snapshot::ModeOrFlag;

pub const FILE_NAME: &str = ".meshctl.yaml";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawConfig {
    rules: BTreeMap<String, ModeOrFlag>,
    ignore: Vec<String>,
    suppress: Vec<String>,
}

/// What a rule is set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setting {
    /// `on`: the rule's own level.
    On,
    Off,
    Level(Level),
}

/// The project configuration, read and checked.
#[derive(Debug, Default)]
pub struct ProjectConfig {
    /// Where the file is; `ignore` patterns are relative to it.
    root: PathBuf,
    /// Rule name to its setting (a code stands for all its rules).
    settings: BTreeMap<&'static str, Setting>,
    ignore: Option<GlobSet>,
    suppress: Vec<String>,
    /// The file, and where each `suppress` entry stands in it.
    declared: Option<(Arc<SourceFile>, Vec<Pos>)>,
}

impl ProjectConfig {
    /// The nearest `.meshctl.yaml` from `start` upwards, or none, with the
    /// path to it as the user would type it from `start`
    /// (`../.meshctl.yaml`).
    pub fn discover(start: &Path, limits: &Limits) -> Result<Option<(Self, String)>, String> {
        for (depth, dir) in start.ancestors().enumerate() {
            let path = dir.join(FILE_NAME);
            if path.is_file() {
                let shown = format!("{}{FILE_NAME}", "../".repeat(depth));
                return Self::read_shown_as(&path, &shown, limits)
                    .map(|config| Some((config, shown)));
            }
        }
        Ok(None)
    }

    /// The configuration file at `path` (`--config`), read within the
    /// input bounds.
    pub fn read(path: &Path, limits: &Limits) -> Result<Self, String> {
        let (source, root) = read_single_source(path, limits)?;
        Self::from_root(path, &source, root)
    }

    /// [`ProjectConfig::read`] of a file found upwards, which findings
    /// name as `shown` (`../.meshctl.yaml`), as the note on stderr does.
    fn read_shown_as(path: &Path, shown: &str, limits: &Limits) -> Result<Self, String> {
        let (source, root) = read_single_source(path, limits)?;
        let source = match Arc::try_unwrap(source) {
            Ok(file) => SourceFile::new(shown, file.into_text()),
            Err(shared) => shared,
        };
        Self::from_root(path, &source, root)
    }

    /// Reads the configuration text of the file at `path`.
    #[cfg(test)]
    pub fn parse(path: &Path, text: String) -> Result<Self, String> {
        let source = SourceFile::new(path.display().to_string(), text);
        let root = single_document(&source, &Limits::default())?;
        Self::from_root(path, &source, root)
    }

    /// The settings of the file's document. Every mistake (unknown key,
    /// unknown rule, bad level, bad pattern) is an error with its line, so
    /// that a typo never silently does nothing.
    fn from_root(
        path: &Path,
        source: &Arc<SourceFile>,
        root: Option<Node>,
    ) -> Result<Self, String> {
        let name = path.display().to_string();
        let raw = match &root {
            None => RawConfig::default(),
            Some(root) => {
                let (raw, problems) = from_node::<RawConfig>(root, SchemaRules::none(), true);
                if let Some(p) = problems.first() {
                    return Err(format!(
                        "{name}:{}:{}: {}: {}",
                        p.pos.line, p.pos.column, p.path, p.message
                    ));
                }
                raw.unwrap_or_default()
            }
        };
        let positions = (0..raw.suppress.len())
            .map(|i| {
                root.as_ref()
                    .map_or_else(Pos::default, |r| r.locate_value(&format!("suppress[{i}]")))
            })
            .collect();
        Ok(ProjectConfig {
            root: normalize(path.parent().unwrap_or(Path::new(""))),
            settings: settings(&raw.rules).map_err(|e| format!("{name}: rules: {e}"))?,
            ignore: ignore_set(&raw.ignore).map_err(|e| format!("{name}: ignore: {e}"))?,
            suppress: raw.suppress,
            declared: Some((source.clone(), positions)),
        })
    }

    /// Whether an input is under an `ignore` pattern.
    pub fn ignores(&self, input: &Input, cwd: &Path) -> bool {
        let (Some(set), Input::File(path)) = (&self.ignore, input) else {
            return false;
        };
        let absolute = normalize(&cwd.join(path));
        absolute
            .strip_prefix(&self.root)
            .is_ok_and(|relative| set.is_match(relative))
    }

    /// The file's `suppress` entries, then those of the `--suppress` flags.
    pub fn suppressions(&self, flags: &[String]) -> Result<Vec<FlagSuppression>, String> {
        let places = self.declared.iter().flat_map(|(source, positions)| {
            positions
                .iter()
                .enumerate()
                .map(move |(i, &pos)| Some((source, pos, format!("suppress[{i}]"))))
        });
        self.suppress
            .iter()
            .zip(places)
            .chain(flags.iter().zip(std::iter::repeat(None)))
            .map(|(text, place)| {
                // A file's entry is refused with its place.
                let located = |error: String| match &place {
                    Some((source, pos, _)) => {
                        format!("{}:{}:{}: {error}", source.name, pos.line, pos.column)
                    }
                    None => error,
                };
                let mut suppression = FlagSuppression::parse(text).map_err(located)?;
                let code = suppression.code();
                // A typo'd code would hide nothing and say nothing.
                if !code.contains('*') && crate::rules::find(code).is_empty() {
                    return Err(located(format!(
                        "--suppress {}: no rule has the code {}; `meshctl explain --list` lists them",
                        quoted(text),
                        quoted(code)
                    )));
                }
                if let Some((source, pos, path)) = place {
                    suppression = suppression.declared_at(source, pos, path);
                }
                Ok(suppression)
            })
            .collect()
    }

    /// Drops the findings of rules turned off and applies level overrides.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.settings.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| match self.settings.get(d.rule.name) {
            Some(Setting::Off) => false,
            Some(Setting::Level(level)) => {
                d.level = *level;
                true
            }
            Some(Setting::On) | None => true,
        });
    }
}

/// The one YAML document of a small configuration file (`.meshctl.yaml`,
/// `--config`, `--mesh-config`), read within the same bounds as inputs (a
/// `/dev/zero` stops at `--max-file-bytes`), or none when it is empty.
/// A file that cannot be opened is refused with the reason; one over a
/// bound, not UTF-8 or not YAML with its position.
pub fn read_single_document(path: &Path, limits: &Limits) -> Result<Option<Node>, String> {
    read_single_source(path, limits).map(|(_, root)| root)
}

/// [`read_single_document`], with the file it was read from (for findings
/// that point into it).
pub fn read_single_source(
    path: &Path,
    limits: &Limits,
) -> Result<(Arc<SourceFile>, Option<Node>), String> {
    let (source, problem) = Input::File(path.to_path_buf())
        .read(limits)
        .map_err(|e| format!("{}: cannot read it: {}", e.path, e.reason))?;
    match problem {
        Some(problem) => Err(located(&source.name, &problem)),
        None => single_document(&source, limits).map(|root| (source, root)),
    }
}

/// The one document of `source`; a problem in it is refused with its
/// position, `name:line:column: message`, and so is a second document
/// with content (it would otherwise be ignored without a word).
fn single_document(source: &Arc<SourceFile>, limits: &Limits) -> Result<Option<Node>, String> {
    let mut documents = parse_documents(source, limits).into_iter();
    let Some(document) = documents.next() else {
        return Ok(None);
    };
    if let Some(problem) = document.problems.first() {
        return Err(located(&source.name, problem));
    }
    let content = |d: &ParsedDocument| {
        d.root
            .as_ref()
            .is_some_and(|n| !matches!(n.value, Value::Null))
    };
    if let Some(second) = documents.find(content) {
        let at = second.start;
        return Err(format!(
            "{}:{}:{}: a second YAML document; this file holds one (merge the two)",
            source.name, at.line, at.column
        ));
    }
    Ok(document.root)
}

/// `name:line:column: message (help)`.
fn located(name: &str, problem: &LoadProblem) -> String {
    let at = problem.pos;
    let mut text = format!("{name}:{}:{}: {}", at.line, at.column, problem.message);
    if let Some(help) = &problem.help {
        text.push_str(&format!("; {help}"));
    }
    text
}

/// Resolves `.` and `..` without touching the file system (the input may
/// be reached through a symlink the user wants to be taken as written).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn settings(raw: &BTreeMap<String, ModeOrFlag>) -> Result<BTreeMap<&'static str, Setting>, String> {
    let mut settings = BTreeMap::new();
    for (key, value) in raw {
        // YAML 1.1 reads unquoted `off`/`on` as booleans.
        let value = match value {
            ModeOrFlag::Mode(text) => text.to_ascii_lowercase(),
            ModeOrFlag::Flag(on) => if *on { "on" } else { "off" }.to_string(),
        };
        let setting = match value.as_str() {
            "on" => Setting::On,
            "off" => Setting::Off,
            "error" => Setting::Level(Level::Error),
            "warning" => Setting::Level(Level::Warning),
            "info" => Setting::Level(Level::Info),
            _ => {
                return Err(format!(
                    "{}: {} is not a setting; use on, off, error, warning or info",
                    quoted(key),
                    quoted(&value)
                ));
            }
        };
        let rules = crate::rules::find(key);
        if rules.is_empty() {
            return Err(format!(
                "{}: no rule has this code or name (`meshctl explain --list` lists them)",
                quoted(key)
            ));
        }
        for rule in rules {
            settings.insert(rule.name, setting);
        }
    }
    Ok(settings)
}

/// gitignore-like patterns: `dir/` is everything under `dir`, a pattern
/// without `/` matches a name at any depth, anything else is a glob from the
/// configuration file's folder.
fn ignore_set(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = if let Some(dir) = pattern.strip_suffix('/') {
            format!("{}/**", dir.trim_start_matches('/'))
        } else if !pattern.contains('/') {
            format!("**/{pattern}")
        } else {
            pattern.trim_start_matches('/').to_string()
        };
        builder.add(Glob::new(&glob).map_err(|e| format!("{pattern:?}: {e}"))?);
        // `dir/**` should not also need `dir/*/**`; a name pattern should
        // also match a folder of that name and all below it.
        if !pattern.ends_with('/') {
            builder.add(Glob::new(&format!("{glob}/**")).map_err(|e| format!("{pattern:?}: {e}"))?);
        }
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ProjectConfig, String> {
        ProjectConfig::parse(Path::new("/project/.meshctl.yaml"), text.to_string())
    }

    #[test]
    fn turns_rules_off_and_changes_levels_by_code_or_name() {
        let config = parse("rules:\n  IST0118: off\n  unknown-field: warning\n").unwrap();
        let rule = |code| crate::rules::find(code)[0];
        let mut found = vec![
            Diagnostic::new(rule("IST0118"), "a"),
            Diagnostic::new(rule("unknown-field"), "b"),
            Diagnostic::new(rule("MSH9001"), "c"),
        ];
        config.apply(&mut found);
        let levels: Vec<_> = found.iter().map(|d| (d.rule.name, d.level)).collect();
        assert_eq!(
            levels,
            [
                ("unknown-field", Level::Warning),
                ("unused-suppression", Level::Warning)
            ]
        );
    }

    #[test]
    fn refuses_unknown_rules_levels_and_keys_with_their_line() {
        let error = parse("rules:\n  IST9999: off\n").unwrap_err();
        assert!(error.contains("IST9999"), "{error}");
        let error = parse("rules:\n  IST0118: loud\n").unwrap_err();
        assert!(error.contains("loud"), "{error}");
        let error = parse("rulez: {}\n").unwrap_err();
        assert!(error.contains(":1:1") && error.contains("rulez"), "{error}");
    }

    #[test]
    fn ignores_folders_names_and_globs_relative_to_the_file() {
        let config = parse("ignore: [vendor/, \"*.gen.yaml\", charts/*/templates/**]\n").unwrap();
        let ignored =
            |p: &str| config.ignores(&Input::File(PathBuf::from(p)), Path::new("/project"));
        assert!(ignored("vendor/a.yaml"));
        assert!(ignored("/project/vendor/deep/a.yaml"));
        assert!(ignored("mesh/x.gen.yaml"));
        assert!(ignored("charts/web/templates/vs.yaml"));
        assert!(!ignored("mesh/vendor.yaml"));
        assert!(!ignored("/elsewhere/vendor/a.yaml"));
        assert!(!ignored("vendor/../a.yaml"));
        assert!(!config.ignores(&Input::Stdin, Path::new("/project")));
    }
}
