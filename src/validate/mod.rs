//! `meshctl validate`: each resource on its own. The schema stage turns what
//! the loader and the model found into diagnostics; Istio's semantic rules
//! run on the objects that passed it.
//!
//! Invariants: no I/O and no printing; files are checked in parallel and the
//! result is in input order, positions ascending within a file.

pub mod crd;
pub mod mesh_networks;
pub mod rules;
pub mod schema;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::loader::{
    Input, InputError, Limits, LoadedFile, ParsedDocument, Pos, SourceFile, Streamed, stream_file,
    stream_file_reusing,
};
use crate::model::{Document, FileModel, Lookup, Object, ObjectSource, lookup, read_document};
use crate::report::{Diagnostic, RunStats};
use schema::duplicate_resource::{self, Definitions, FileDefinitions};

/// What validation needs besides the files.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// Namespace for resources that name none (`-n`).
    pub default_namespace: String,
    /// Keep the objects for a later engine (lint); without it each file's
    /// model is dropped as soon as it is checked, which keeps memory flat.
    pub keep_models: bool,
    /// With `keep_models`: let go of each file's text once it is checked
    /// (see [`crate::loader::SourceFile::let_go`]).
    pub let_go_texts: bool,
    /// What checks the kinds meshctl's model does not cover.
    pub custom_kinds: CustomKinds,
}

/// How resources of kinds meshctl's model does not cover are checked.
#[derive(Debug, Clone, Default)]
pub struct CustomKinds {
    /// CRDs given with `--crd`: objects they serve are also checked against them.
    pub crds: Option<Arc<crd::CrdSet>>,
    /// `--strict-kinds`: a resource nothing checks is an error (MSH1009),
    /// not only counted in the summary.
    pub strict: bool,
}

impl CustomKinds {
    /// Whether nothing checks the object: a kind a mesh serves that meshctl
    /// does not check yet, or a custom resource of another group, without a
    /// `--crd` that serves it. Kubernetes' own kinds are context for the
    /// mesh checks, not configuration to check: they are never counted.
    fn leave_unchecked(&self, object: &Object) -> bool {
        matches!(
            lookup(&object.api_version, &object.kind),
            Lookup::Unchecked(_) | Lookup::Foreign
        ) && !self.crds.as_ref().is_some_and(|c| c.serves(object))
    }
}

/// The result of validating a set of files.
#[derive(Debug, Default)]
pub struct Validated {
    pub models: Vec<FileModel>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: RunStats,
    /// When models are kept: the documents (other than Lists) checked
    /// without a finding, each as the range of its objects among the
    /// models' objects taken in order (see [`Reusable`]).
    pub clean: Vec<Range<usize>>,
}

/// Documents an earlier run read and checked without a finding, found by
/// their text: [`validate_inputs_reusing`] takes a document written alike
/// as a copy of their objects, neither parsed nor checked again. Whether a
/// document has findings depends on its text alone (and on `-n` and
/// `--crd`, which the two runs share): no check reads another document,
/// but for MSH0005 (a resource defined twice), which runs over every
/// document of the run, reused or not, after the files are checked.
pub struct Reusable<'a> {
    objects: &'a [Object],
    by_text: HashMap<&'a str, Range<usize>>,
}

impl<'a> Reusable<'a> {
    /// `clean` is [`Validated::clean`] of the run that read `objects`.
    pub fn new(objects: &'a [Object], clean: &[Range<usize>]) -> Self {
        let by_text = clean
            .iter()
            .filter_map(|range| {
                let ObjectSource::File(place) = &objects.get(range.start)?.source else {
                    return None;
                };
                Some((place.file.text().get(place.span.clone())?, range.clone()))
            })
            .collect();
        Reusable { objects, by_text }
    }

    fn objects_of(&self, text: &str) -> Option<&'a [Object]> {
        let range = self.by_text.get(text)?;
        Some(&self.objects[range.clone()])
    }
}

/// Reads, parses and validates every input, one file per task and one
/// document at a time within a file, so that each document's tree is freed
/// as soon as it is checked (unless models are kept, without their trees):
/// memory follows the largest document, not the largest file.
pub fn validate_inputs(
    inputs: &[Input],
    limits: &Limits,
    options: &ValidateOptions,
) -> Result<Validated, InputError> {
    check_inputs(inputs, options, |input, checker| {
        stream_file(input, limits, |source, document| {
            checker.check_document(source, document);
        })
    })
}

/// [`validate_inputs`], taking each document written as one of `earlier`'s
/// as a copy of its objects: not parsed, not checked again, no findings.
pub fn validate_inputs_reusing(
    inputs: &[Input],
    limits: &Limits,
    options: &ValidateOptions,
    earlier: &Reusable,
) -> Result<Validated, InputError> {
    check_inputs(inputs, options, |input, checker| {
        let known = |text: &str| earlier.objects_of(text);
        stream_file_reusing(input, limits, known, |source, document| match document {
            Streamed::Parsed(document) => checker.check_document(source, document),
            Streamed::Known {
                index,
                span,
                start,
                value,
            } => checker.reuse_document(source, index, span, start, value),
        })
    })
}

/// Each input read into its own checker, one file per task.
fn check_inputs(
    inputs: &[Input],
    options: &ValidateOptions,
    read: impl Fn(&Input, &mut FileChecker) -> Result<Arc<SourceFile>, InputError> + Sync,
) -> Result<Validated, InputError> {
    let per_file: Result<Vec<_>, InputError> = inputs
        .par_iter()
        .map(|input| {
            let mut checker = FileChecker::new(options);
            read(input, &mut checker)?;
            Ok(checker.finish())
        })
        .collect();
    Ok(collect(per_file?, &options.default_namespace))
}

/// Validates files already loaded.
pub fn validate(files: Vec<LoadedFile>, options: &ValidateOptions) -> Validated {
    collect(
        files
            .into_par_iter()
            .map(|file| {
                let mut checker = FileChecker::new(options);
                for document in file.documents {
                    checker.check_document(&file.source, document);
                }
                checker.finish()
            })
            .collect(),
        &options.default_namespace,
    )
}

/// One file's result: its diagnostics, its resource counts, and its model
/// when asked to keep it, with its clean documents' object ranges.
struct FileResult {
    model: Option<FileModel>,
    stats: RunStats,
    diagnostics: Vec<Diagnostic>,
    clean: Vec<Range<usize>>,
    /// What the file defined, for the check across files.
    defined: Definitions,
}

/// Checks one file's documents as they come.
struct FileChecker<'o> {
    options: &'o ValidateOptions,
    semantic: Vec<&'static dyn rules::RuleGroup>,
    kept: FileModel,
    /// The kept model's documents checked without a finding.
    clean: Vec<Range<usize>>,
    stats: RunStats,
    diagnostics: Vec<Diagnostic>,
    defined: Definitions,
}

impl<'o> FileChecker<'o> {
    fn new(options: &'o ValidateOptions) -> Self {
        FileChecker {
            options,
            semantic: rules::all(),
            kept: FileModel::default(),
            clean: Vec::new(),
            stats: RunStats {
                files: 1,
                ..RunStats::default()
            },
            diagnostics: Vec::new(),
            defined: Definitions::default(),
        }
    }

    /// Reads and checks one document; its objects are dropped, or kept
    /// without their trees when models are kept.
    fn check_document(&mut self, source: &Arc<SourceFile>, document: ParsedDocument) {
        let options = self.options;
        let mut model = FileModel::default();
        read_document(source, document, &options.default_namespace, &mut model);
        let findings_before = self.diagnostics.len();
        self.diagnostics
            .extend(schema::document_diagnostics(&model));
        for object in &model.objects {
            check_object(
                object,
                &self.semantic,
                &options.custom_kinds,
                &mut self.diagnostics,
            );
        }
        if let Some(document) = model.documents.first() {
            self.defined
                .read(source, document.span.clone(), &model.objects);
        }
        let clean = self.diagnostics.len() == findings_before
            && model.problems.is_empty()
            && model.documents.iter().all(|d| d.list.is_none());
        if clean && options.keep_models && !model.objects.is_empty() {
            let first = self.kept.objects.len();
            self.clean.push(first..first + model.objects.len());
        }
        self.keep(model);
    }

    /// Takes a document known by its text as a copy of the objects read
    /// from an earlier one, at this document's place.
    fn reuse_document(
        &mut self,
        source: &Arc<SourceFile>,
        index: usize,
        span: Range<usize>,
        start: Pos,
        objects: &[Object],
    ) {
        let model = FileModel {
            documents: vec![Document {
                index,
                span: span.clone(),
                list: None,
            }],
            objects: objects
                .iter()
                .map(|o| o.copied_to(source, index, span.clone(), start.line))
                .collect(),
            problems: Vec::new(),
        };
        // Reused documents come only with models kept, so the objects are
        // found again by their index there.
        let first = self.kept.objects.len();
        for (i, object) in model.objects.iter().enumerate() {
            self.defined.kept(source, object, first + i);
        }
        self.keep(model);
    }

    /// Counts a document's resources, and keeps its objects when asked.
    fn keep(&mut self, mut model: FileModel) {
        count_resources(&model, self.options, &mut self.stats);
        if self.options.keep_models {
            // Kept for lint: every file of the run at once, so only what
            // the analyzers read stays (positions are read again when needed).
            model.objects.iter_mut().for_each(Object::release_tree);
            self.kept.append(model);
        }
    }

    fn finish(mut self) -> FileResult {
        self.diagnostics.sort_by_key(Diagnostic::sort_key);
        // Grown document by document, the lists keep up to as much again
        // in spare room for the rest of the run.
        self.kept.shrink_to_fit();
        self.defined.shrink_to_fit();
        if self.options.let_go_texts
            && let Some((old, new)) = self.kept.let_go_text()
        {
            for location in self
                .diagnostics
                .iter_mut()
                .filter_map(|d| d.location.as_mut())
            {
                if Arc::ptr_eq(&location.source, &old) {
                    location.source = new.clone();
                }
            }
            self.defined.moved_to(&new);
        }
        FileResult {
            model: self.options.keep_models.then_some(self.kept),
            stats: self.stats,
            diagnostics: self.diagnostics,
            clean: self.clean,
            defined: self.defined,
        }
    }
}

/// Validates objects already read rather than files: a cluster's objects,
/// or made-up ones. Findings about an object without a file have no
/// location. In input order, positions ascending within a file.
pub fn validate_objects(objects: &[Object], custom_kinds: &CustomKinds) -> Vec<Diagnostic> {
    let semantic = rules::all();
    let per_object: Vec<Vec<Diagnostic>> = objects
        .par_iter()
        .map(|object| {
            let mut found = Vec::new();
            check_object(object, &semantic, custom_kinds, &mut found);
            found.sort_by_key(Diagnostic::sort_key);
            found
        })
        .collect();
    per_object.into_iter().flatten().collect()
}

/// Every check of one object: its schema problems, the CRDs given, and
/// Istio's semantic rules.
fn check_object(
    object: &Object,
    semantic: &[&'static dyn rules::RuleGroup],
    custom_kinds: &CustomKinds,
    out: &mut Vec<Diagnostic>,
) {
    out.extend(schema::object_diagnostics(object));
    out.extend(schema::name_diagnostics(object));
    if let Some(crds) = &custom_kinds.crds {
        out.extend(crds.check(object));
    }
    if custom_kinds.strict && custom_kinds.leave_unchecked(object) {
        out.push(schema::unchecked_kind::finding(object));
    }
    // Semantic rules read typed fields, so they only see objects whose
    // schema check passed.
    if object.problems.is_empty() {
        rules::check_object(object, semantic, out);
    }
}

/// Counts a document's resources, and those of them nothing checks (see
/// [`CustomKinds::leave_unchecked`]).
fn count_resources(model: &FileModel, options: &ValidateOptions, stats: &mut RunStats) {
    stats.resources += model.objects.len();
    for object in &model.objects {
        if options.custom_kinds.leave_unchecked(object) {
            stats.add_not_checked(&object.kind, &object.api_version, 1);
        }
    }
}

/// The files' results in input order, with the findings across them.
fn collect(per_file: Vec<FileResult>, default_namespace: &str) -> Validated {
    let definitions: Vec<FileDefinitions> = per_file
        .iter()
        .map(|file| FileDefinitions {
            definitions: &file.defined,
            default_namespace,
            model: file.model.as_ref(),
        })
        .collect();
    let duplicates = duplicate_resource::find(&definitions);
    let mut validated = Validated::default();
    // Objects of the files before: where a file's own ranges start.
    let mut objects = 0;
    for (mut file, duplicates) in per_file.into_iter().zip(duplicates) {
        if !duplicates.is_empty() {
            file.diagnostics.extend(duplicates);
            file.diagnostics.sort_by_key(Diagnostic::sort_key);
        }
        validated.stats.files += file.stats.files;
        validated.stats.resources += file.stats.resources;
        for n in file.stats.not_checked {
            validated
                .stats
                .add_not_checked(&n.kind, &n.api_version, n.count);
        }
        validated.clean.extend(
            file.clean
                .into_iter()
                .map(|r| r.start + objects..r.end + objects),
        );
        objects += file.model.as_ref().map_or(0, |m| m.objects.len());
        validated.models.extend(file.model);
        validated.diagnostics.extend(file.diagnostics);
    }
    validated
}

/// Helpers for rule tests: run validate on YAML text and render the findings
/// one per line, `CODE line:column path: message (help)`.
#[cfg(test)]
#[macro_use]
pub(crate) mod test_support {
    use crate::loader::{Limits, LoadedFile, SourceFile, parse_documents};
    use crate::report::{Diagnostic, Rule};

    pub fn run(yaml: &str) -> Vec<Diagnostic> {
        run_files(&[("test.yaml", yaml)])
    }

    /// Validate on files given as `(name, text)`, in one run.
    pub fn run_files(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        run_files_with(files, super::CustomKinds::default())
    }

    /// [`run_files`] with `--crd` or `--strict-kinds`.
    pub fn run_files_with(
        files: &[(&str, &str)],
        custom_kinds: super::CustomKinds,
    ) -> Vec<Diagnostic> {
        let files = files
            .iter()
            .map(|(name, text)| {
                let source = SourceFile::new(*name, text.to_string());
                let documents = parse_documents(&source, &Limits::default());
                LoadedFile { source, documents }
            })
            .collect();
        let options = super::ValidateOptions {
            default_namespace: "default".into(),
            keep_models: false,
            let_go_texts: false,
            custom_kinds,
        };
        super::validate(files, &options).diagnostics
    }

    /// `line:column` and field path of a finding (empty when it has none).
    pub fn position(d: &Diagnostic) -> (String, &str) {
        d.location
            .as_ref()
            .map(|l| (format!("{}:{}", l.pos.line, l.pos.column), l.path.as_str()))
            .unwrap_or_default()
    }

    fn line(d: &Diagnostic) -> String {
        let (pos, path) = position(d);
        let help = d
            .help
            .as_ref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        format!("{} {pos} {path}: {}{help}", d.rule.code, d.message)
    }

    /// Every finding.
    pub fn findings(yaml: &str) -> String {
        run(yaml).iter().map(line).collect::<Vec<_>>().join("\n")
    }

    /// One valid resource of every mesh kind: no rule may fire on it.
    pub const VALID_MESH: &str = include_str!("valid_mesh.yaml");

    /// The test every rule has: a snapshot of what it finds in its
    /// documented example. (Silence on valid resources of every kind is one
    /// meta-test for all rules, in `crate::rules`.)
    macro_rules! rule_tests {
        ($rule:ident) => {
            #[cfg(test)]
            mod tests {
                use crate::validate::test_support::findings_of;

                #[test]
                fn fires_on_the_example() {
                    insta::assert_snapshot!(findings_of(&super::$rule, super::$rule.example.yaml));
                }
            }
        };
    }
    pub(crate) use rule_tests;

    /// What Istio's validation says of a resource, as its test tables put it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Verdict {
        /// Accepted without warnings.
        Clean,
        /// Accepted with a warning (IST0133).
        Warn,
        /// Accepted; warnings are not looked at.
        Valid,
        /// Refused by the webhook (IST0106); warnings are not looked at.
        Invalid,
        /// Refused, with a warning besides.
        InvalidWarn,
        /// Refused by meshctl's schema stage already (an MSH error), as the
        /// CRD's schema refuses it before the webhook.
        Schema,
    }

    impl Verdict {
        /// Whether validate's findings on a case agree with this verdict.
        pub fn agrees(self, found: &[Diagnostic]) -> bool {
            let has = |code: &str| found.iter().any(|d| d.rule.code == code);
            let error = has("IST0106");
            let warning = has("IST0133");
            let schema = found
                .iter()
                .any(|d| d.rule.code.starts_with("MSH") && d.level == crate::report::Level::Error);
            match self {
                Verdict::Clean => !error && !schema && !warning,
                Verdict::Warn => !error && !schema && warning,
                Verdict::Valid => !error && !schema,
                Verdict::Invalid => error,
                Verdict::InvalidWarn => error && warning,
                Verdict::Schema => schema,
            }
        }
    }

    /// Runs Istio's test cases, `(name, resource, verdict)`, through validate
    /// and lists every disagreement at once.
    pub fn assert_verdicts<'a>(cases: impl IntoIterator<Item = (&'a str, String, Verdict)>) {
        let wrong: Vec<String> = cases
            .into_iter()
            .filter_map(|(name, yaml, want)| {
                let found = run(&yaml);
                (!want.agrees(&found)).then(|| {
                    let lines: Vec<String> = found.iter().map(line).collect();
                    format!("{name} (want {want:?}):\n{yaml}\n{}", lines.join("\n"))
                })
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    }

    /// The findings of one rule.
    pub fn findings_of(rule: &Rule, yaml: &str) -> String {
        run(yaml)
            .iter()
            .filter(|d| d.rule.name == rule.name)
            .map(line)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod reuse_tests {
    use super::*;

    const CLEAN: &str = "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: clean, namespace: shop}\nspec:\n  hosts: [cart]\n  http:\n  - route:\n    - destination: {host: cart}\n";
    const FAULTY: &str = "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: faulty, namespace: shop}\nspec:\n  hostz: [cart]\n";

    fn run(path: &std::path::Path, earlier: Option<&Reusable>) -> Validated {
        let options = ValidateOptions {
            default_namespace: "default".into(),
            keep_models: true,
            let_go_texts: false,
            custom_kinds: CustomKinds::default(),
        };
        let inputs = [Input::File(path.to_path_buf())];
        match earlier {
            None => validate_inputs(&inputs, &Limits::default(), &options),
            Some(earlier) => {
                validate_inputs_reusing(&inputs, &Limits::default(), &options, earlier)
            }
        }
        .unwrap()
    }

    /// Each object's name, place and the position of its `spec`.
    fn places(validated: Validated) -> Vec<String> {
        let objects = validated.models.into_iter().flat_map(|m| m.objects);
        objects
            .map(|o| {
                let ObjectSource::File(place) = &o.source else {
                    panic!("a file's object")
                };
                format!(
                    "{} {} doc {} {:?} line {} spec {:?}",
                    o.name,
                    place.file.name,
                    place.document,
                    place.span,
                    place.line,
                    o.locate("spec")
                )
            })
            .collect()
    }

    #[test]
    fn a_document_written_alike_is_read_as_a_copy_at_its_own_place() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
        std::fs::write(&old, format!("{CLEAN}{FAULTY}")).unwrap();
        std::fs::write(&new, format!("# moved\nkind: Junk\n{FAULTY}---\n{CLEAN}")).unwrap();
        let before = run(&old, None);
        assert_eq!(before.clean, vec![0..1], "the faulty document is not clean");
        let objects: Vec<Object> = before.models.into_iter().flat_map(|m| m.objects).collect();
        let earlier = Reusable::new(&objects, &before.clean);
        let reusing = run(&new, Some(&earlier));
        let fresh = run(&new, None);
        let findings = |v: &Validated| format!("{:?}", v.diagnostics);
        assert_eq!(findings(&reusing), findings(&fresh));
        assert!(findings(&fresh).contains("hostz"));
        assert_eq!(places(reusing), places(fresh));
    }

    #[test]
    fn a_resource_defined_twice_is_found_in_reused_documents_too() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
        std::fs::write(&old, CLEAN).unwrap();
        std::fs::write(&new, format!("{CLEAN}{CLEAN}")).unwrap();
        let before = run(&old, None);
        let objects: Vec<Object> = before.models.into_iter().flat_map(|m| m.objects).collect();
        let earlier = Reusable::new(&objects, &before.clean);
        let reusing = run(&new, Some(&earlier));
        let fresh = run(&new, None);
        let duplicates = |v: &Validated| {
            v.diagnostics
                .iter()
                .filter(|d| d.code() == "MSH0005")
                .map(|d| (d.location.as_ref().map(|l| l.pos), d.message.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(duplicates(&fresh).len(), 1);
        assert_eq!(duplicates(&reusing), duplicates(&fresh));
    }
}
