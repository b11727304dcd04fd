//! The input side every command that reads configuration shares: the paths
//! named (positional and `-f`), the nearest `.meshctl.yaml` (its ignores
//! drop files before they are read; its rules settle findings), the input
//! bounds, `-n`, and, for the commands that take them, `--crd` and
//! `--mesh-config`. A command gathers its [`Inputs`] once, then asks for
//! findings ([`Inputs::validate`]), objects with findings ([`Inputs::load`])
//! or objects that must be valid ([`Inputs::load_valid`]).

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::args::{CustomKindArgs, InputArgs, MeshArgs};
use super::outcome::CliError;
use super::output::note;
use super::project_config::{self, ProjectConfig, read_single_document, read_single_source};
use crate::loader::{
    Content, Found, Input, InputSpec, Limits, Node, Pos, Value, WalkOptions, classify, walk_inputs,
};
use crate::model::Object;
use crate::report::{Diagnostic, Level, RunStats};
use crate::snapshot::{MeshConfig, MeshNetworksFile};
use crate::validate::crd::load_crds;
use crate::validate::mesh_networks::read_mesh_networks;
use crate::validate::{
    CustomKinds, Reusable, ValidateOptions, Validated, validate_inputs, validate_inputs_reusing,
};

/// The configuration a command reads, and how to read it.
#[derive(Debug)]
pub struct Inputs {
    /// The files to read, in order, without ignored ones.
    files: Vec<Input>,
    /// Files a walk passed over.
    pub skipped: Skipped,
    limits: Limits,
    namespace: String,
    follow_symlinks: bool,
    custom_kinds: CustomKinds,
    /// `.meshctl.yaml`, or the defaults when there is none.
    pub project: ProjectConfig,
    /// `--mesh-config`, or Istio's defaults.
    pub mesh: MeshConfig,
    /// `--mesh-networks`, when given.
    pub mesh_networks: Option<MeshNetworksFile>,
}

impl From<Validated> for Loaded {
    /// The files' objects in one list, in input order.
    fn from(validated: Validated) -> Self {
        // Sized up front: a run keeps every object, and a grown buffer
        // would keep up to as much again.
        let count = validated.models.iter().map(|m| m.objects.len()).sum();
        let mut objects = Vec::with_capacity(count);
        objects.extend(validated.models.into_iter().flat_map(|m| m.objects));
        Loaded {
            objects,
            findings: validated.diagnostics,
            stats: validated.stats,
            clean: validated.clean,
        }
    }
}

/// Objects read and validated, with the findings about them.
#[derive(Debug)]
pub struct Loaded {
    pub objects: Vec<Object>,
    pub findings: Vec<Diagnostic>,
    pub stats: RunStats,
    /// The documents read without a finding (see [`Validated::clean`]).
    pub clean: Vec<std::ops::Range<usize>>,
}

impl Inputs {
    /// The namespace given to resources that name none (analyze: the
    /// context's, when `-n` is not given).
    pub fn set_default_namespace(&mut self, namespace: &str) {
        self.namespace = namespace.to_string();
    }

    /// Finds the project configuration and lists the files to read. A
    /// broken `.meshctl.yaml` stops the run: its settings would otherwise
    /// be silently ignored.
    pub fn gather(args: &InputArgs) -> Result<Self, CliError> {
        if args.all_paths().is_empty() {
            return Err("no input; name files or directories, or - for stdin".into());
        }
        Self::gather_optional(args)
    }

    /// [`Inputs::gather`] for a command whose files are optional
    /// (`analyze`'s overlay on the cluster).
    pub fn gather_optional(args: &InputArgs) -> Result<Self, CliError> {
        if !crate::model::names::is_namespace_name(args.namespace()) {
            return Err(format!(
                "-n {}: not a namespace name (lower-case letters, digits and '-', at most 63)",
                crate::loader::quoted(args.namespace())
            )
            .into());
        }
        let paths = args.all_paths();
        let cwd = std::env::current_dir().unwrap_or_default();
        let limits = args.limits.limits();
        let project = project_config_of(args, &cwd, &limits)?;
        let spec = InputSpec {
            paths,
            follow_symlinks: args.follow_symlinks,
        };
        let walk = WalkOptions {
            include_hidden: args.include_hidden,
            exclude: args.exclude.clone(),
        };
        let mut found = walk_inputs(&spec, &walk).map_err(|e| e.to_string())?;
        found.retain(|(file, _)| !project.ignores(file, &cwd) && !is_project_config(file));
        let (files, skipped) = skip_non_manifests(found, &limits);
        if let Some(example) = &skipped.template_example {
            note(&template_hint(skipped.templates, example));
        }
        if files.is_empty() && !spec.paths.is_empty() {
            // An empty folder or a typo'd glob must not pass as checked.
            note(&format!(
                "no manifest to read in {}: nothing was checked",
                spec.paths.join(", ")
            ));
        }
        Ok(Inputs {
            files,
            skipped,
            limits,
            namespace: args.namespace().to_string(),
            follow_symlinks: args.follow_symlinks,
            custom_kinds: CustomKinds::default(),
            project,
            mesh: MeshConfig::default(),
            mesh_networks: None,
        })
    }

    /// Also checks custom resources against the CRD files of `--crd`, and
    /// with `--strict-kinds` refuses those nothing checks.
    pub fn with_custom_kinds(mut self, args: &CustomKindArgs) -> Result<Self, CliError> {
        if !args.crds.is_empty() {
            let crds = load_crds(&args.crds, self.follow_symlinks, &self.limits)
                .map_err(|e| format!("--crd: {e}"))?;
            self.custom_kinds.crds = Some(Arc::new(crds));
        }
        self.custom_kinds.strict = args.strict_kinds;
        Ok(self)
    }

    /// What checks the kinds meshctl's model does not cover (for objects
    /// read from elsewhere than the files: a cluster's).
    pub fn custom_kinds(&self) -> &CustomKinds {
        &self.custom_kinds
    }

    /// Reads `--mesh-config` (without it, Istio's defaults stay) and checks
    /// `--mesh-networks`.
    pub fn with_mesh(mut self, args: &MeshArgs) -> Result<Self, CliError> {
        if let Some(path) = &args.mesh_config {
            self.mesh = read_mesh_config(path, &self.limits)?;
        }
        if let Some(path) = &args.mesh_networks {
            self.mesh_networks = Some(read_mesh_networks_file(path, &self.limits)?);
        }
        Ok(self)
    }

    /// Validates every file; the objects are dropped as soon as each file
    /// is checked, which keeps memory flat.
    pub fn validate(&self) -> Result<Validated, CliError> {
        self.run_validate(false, None, false)
    }

    /// Validates every file and keeps the objects for an engine.
    pub fn load(&self) -> Result<Loaded, CliError> {
        self.load_reusing(None)
    }

    /// [`Inputs::load`] for an engine that keeps every object of the run
    /// and reads positions only for its findings (lint): the files' texts
    /// are let go once checked and read back from disk where needed.
    pub fn load_lean(&self) -> Result<Loaded, CliError> {
        Ok(Loaded::from(self.run_validate(true, None, true)?))
    }

    /// [`Inputs::load`], taking the documents written as one of `earlier`'s
    /// clean documents as copies of its objects (diff's NEW after OLD).
    pub fn load_reusing(&self, earlier: Option<&Reusable>) -> Result<Loaded, CliError> {
        Ok(Loaded::from(self.run_validate(true, earlier, false)?))
    }

    /// The objects, for commands that run only on valid configuration:
    /// any finding still an error after the project's rule settings
    /// refuses the run.
    pub fn load_valid(&self) -> Result<Vec<Object>, CliError> {
        let mut loaded = self.load()?;
        let errors = self.errors(&mut loaded);
        if errors.is_empty() {
            Ok(loaded.objects)
        } else {
            Err(CliError::InvalidConfig(errors))
        }
    }

    /// The findings still errors after the project's rule settings, one
    /// line each (`file:line:col: CODE message`).
    pub fn errors(&self, loaded: &mut Loaded) -> Vec<String> {
        self.project.apply(&mut loaded.findings);
        loaded
            .findings
            .iter()
            .filter(|d| d.level == Level::Error)
            .map(one_line)
            .collect()
    }

    fn run_validate(
        &self,
        keep_models: bool,
        earlier: Option<&Reusable>,
        let_go_texts: bool,
    ) -> Result<Validated, CliError> {
        let options = ValidateOptions {
            default_namespace: self.namespace.clone(),
            keep_models,
            let_go_texts,
            custom_kinds: self.custom_kinds.clone(),
        };
        match earlier {
            None => validate_inputs(&self.files, &self.limits, &options),
            Some(earlier) => validate_inputs_reusing(&self.files, &self.limits, &options, earlier),
        }
        .map_err(|e| e.to_string().into())
    }
}

/// Files met during a walk and not read: they are not Kubernetes
/// manifests, or only become manifests once a template is rendered.
#[derive(Debug, Default)]
pub struct Skipped {
    pub not_manifests: usize,
    /// FIFOs, sockets and devices a walk met: never opened.
    pub not_regular: usize,
    pub templates: usize,
    /// The first template file, named in the hint.
    template_example: Option<String>,
}

/// `--config`, `--no-config`, or the nearest `.meshctl.yaml`, named on
/// stderr: a configuration found in a parent folder changes the result,
/// and must not do so without a word.
fn project_config_of(
    args: &InputArgs,
    cwd: &Path,
    limits: &Limits,
) -> Result<ProjectConfig, CliError> {
    if args.no_config {
        return Ok(ProjectConfig::default());
    }
    if let Some(path) = &args.config {
        return ProjectConfig::read(Path::new(path), limits)
            .map_err(|e| format!("--config {e}").into());
    }
    match ProjectConfig::discover(cwd, limits)? {
        Some((config, shown)) => {
            note(&format!("using {} at {shown}", project_config::FILE_NAME));
            Ok(config)
        }
        None => Ok(ProjectConfig::default()),
    }
}

/// Keeps named files and the walked regular files that hold manifests. Files are
/// judged in parallel from their text; one that cannot be read, or is larger
/// than `--max-file-bytes`, is kept unread, so that loading it reports why
/// (judging must not read what the loader's bound refuses).
fn skip_non_manifests(found: Vec<(Input, Found)>, limits: &Limits) -> (Vec<Input>, Skipped) {
    let judged: Vec<(Input, Found, Content)> = found
        .into_par_iter()
        .map(|(input, how)| {
            let content = match (&input, how) {
                (Input::File(path), Found::Walked) => {
                    let within_bound = std::fs::metadata(path)
                        .is_ok_and(|meta| meta.len() <= limits.max_file_bytes);
                    if within_bound {
                        std::fs::read_to_string(path)
                            .map_or(Content::Manifest, |text| classify(&text))
                    } else {
                        Content::Manifest
                    }
                }
                _ => Content::Manifest,
            };
            (input, how, content)
        })
        .collect();
    let mut skipped = Skipped::default();
    let mut files = Vec::with_capacity(judged.len());
    for (input, how, content) in judged {
        if how == Found::NotRegular {
            skipped.not_regular += 1;
            continue;
        }
        match content {
            Content::Manifest => files.push(input),
            Content::NotManifest => skipped.not_manifests += 1,
            Content::Template => {
                skipped.templates += 1;
                skipped
                    .template_example
                    .get_or_insert_with(|| input.display_name());
            }
        }
    }
    (files, skipped)
}

fn template_hint(count: usize, example: &str) -> String {
    let files = if count == 1 {
        "1 template file".to_string()
    } else {
        format!("{count} template files")
    };
    format!(
        "skipped {files} ({{{{ ... }}}} markers, e.g. {example}); check the rendered output instead: \
         helm template CHART | meshctl validate -, or kustomize build DIR | meshctl validate -"
    )
}

/// meshctl's own configuration file is never a resource.
fn is_project_config(input: &Input) -> bool {
    matches!(input, Input::File(path) if path.file_name().is_some_and(|n| n == project_config::FILE_NAME))
}

/// `file:line:col: CODE message`, as compilers print errors.
fn one_line(d: &Diagnostic) -> String {
    match &d.location {
        Some(l) => format!(
            "{}:{}:{}: {} {}",
            l.source.name,
            l.pos.line,
            l.pos.column,
            d.code(),
            d.message
        ),
        None => format!("{} {}", d.code(), d.message),
    }
}

/// A MeshNetworks YAML file: refused (exit 2) with istiod's reasons when
/// istiod would refuse it.
fn read_mesh_networks_file(path: &str, limits: &Limits) -> Result<MeshNetworksFile, CliError> {
    let (source, root) =
        read_single_source(Path::new(path), limits).map_err(|e| format!("--mesh-networks {e}"))?;
    // An empty file declares no networks.
    let root = root.unwrap_or_else(|| Node::new(Pos::default(), Value::Map(Vec::new())));
    match read_mesh_networks(&root) {
        Ok(networks) => Ok(MeshNetworksFile {
            networks,
            source,
            root,
        }),
        Err(problems) => {
            let more = match problems.len() {
                0 | 1 => String::new(),
                n => format!(" (and {} more problems)", n - 1),
            };
            let first = problems.first().map_or("", String::as_str);
            Err(format!("--mesh-networks {path}: {first}{more}").into())
        }
    }
}

/// A MeshConfig YAML file, as `istioctl analyze --meshConfigFile` reads it.
fn read_mesh_config(path: &str, limits: &Limits) -> Result<MeshConfig, CliError> {
    let root =
        read_single_document(Path::new(path), limits).map_err(|e| format!("--mesh-config {e}"))?;
    match root {
        Some(root) => {
            MeshConfig::from_node(&root).map_err(|e| format!("--mesh-config {path}:{e}").into())
        }
        None => Ok(MeshConfig::default()),
    }
}
