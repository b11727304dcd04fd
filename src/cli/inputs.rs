//! The input side every command that reads configuration shares: the paths
//! named (positional and `-f`), the nearest `.meshctl.yaml` (its ignores
//! drop files before they are read; its rules settle findings), the input
//! bounds, `-n`, and, for the commands that take them, `--crd` and
//! `--mesh-config`. A command gathers its [`Inputs`] once, then asks for
//! findings ([`Inputs::validate`]), objects with findings ([`Inputs::load`])
//! or objects that must be valid ([`Inputs::load_valid`]).

use std::sync::Arc;

use super::args::{InputArgs, MeshArgs};
use super::outcome::CliError;
use super::project_config::{self, ProjectConfig, single_document};
use crate::loader::{Input, InputSpec, Limits, collect_inputs};
use crate::model::Object;
use crate::report::{Diagnostic, Level, RunStats};
use crate::snapshot::MeshConfig;
use crate::validate::crd::{CrdSet, load_crds};
use crate::validate::{ValidateOptions, Validated, validate_inputs};

/// The configuration a command reads, and how to read it.
#[derive(Debug)]
pub struct Inputs {
    /// The files to read, in order, without ignored ones.
    files: Vec<Input>,
    limits: Limits,
    namespace: String,
    follow_symlinks: bool,
    crds: Option<Arc<CrdSet>>,
    /// `.meshctl.yaml`, or the defaults when there is none.
    pub project: ProjectConfig,
    /// `--mesh-config`, or Istio's defaults.
    pub mesh: MeshConfig,
}

/// Objects read and validated, with the findings about them.
#[derive(Debug)]
pub struct Loaded {
    pub objects: Vec<Object>,
    pub findings: Vec<Diagnostic>,
    pub stats: RunStats,
}

impl Inputs {
    /// Finds the project configuration and lists the files to read. A
    /// broken `.meshctl.yaml` stops the run: its settings would otherwise
    /// be silently ignored.
    pub fn gather(args: &InputArgs) -> Result<Self, CliError> {
        let paths = args.all_paths();
        if paths.is_empty() {
            return Err("no input; name files or directories, or - for stdin".into());
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let project = ProjectConfig::discover(&cwd)?.unwrap_or_default();
        let spec = InputSpec {
            paths,
            follow_symlinks: args.follow_symlinks,
        };
        let mut files = collect_inputs(&spec).map_err(|e| e.to_string())?;
        files.retain(|file| !project.ignores(file, &cwd) && !is_project_config(file));
        Ok(Inputs {
            files,
            limits: args.limits.limits(),
            namespace: args.namespace.clone(),
            follow_symlinks: args.follow_symlinks,
            crds: None,
            project,
            mesh: MeshConfig::default(),
        })
    }

    /// Also checks custom resources against these CRD files (`--crd`).
    pub fn with_crds(mut self, paths: &[String]) -> Result<Self, CliError> {
        if !paths.is_empty() {
            let crds = load_crds(paths, self.follow_symlinks, &self.limits)
                .map_err(|e| format!("--crd: {e}"))?;
            self.crds = Some(Arc::new(crds));
        }
        Ok(self)
    }

    /// Reads `--mesh-config` (without it, Istio's defaults stay).
    pub fn with_mesh(mut self, args: &MeshArgs) -> Result<Self, CliError> {
        if let Some(path) = &args.mesh_config {
            self.mesh = read_mesh_config(path)?;
        }
        Ok(self)
    }

    /// Validates every file; the objects are dropped as soon as each file
    /// is checked, which keeps memory flat.
    pub fn validate(&self) -> Result<Validated, CliError> {
        self.run_validate(false)
    }

    /// Validates every file and keeps the objects for an engine.
    pub fn load(&self) -> Result<Loaded, CliError> {
        let validated = self.run_validate(true)?;
        Ok(Loaded {
            objects: validated
                .models
                .into_iter()
                .flat_map(|m| m.objects)
                .collect(),
            findings: validated.diagnostics,
            stats: validated.stats,
        })
    }

    /// The objects, for commands that run only on valid configuration:
    /// any finding still an error after the project's rule settings
    /// refuses the run.
    pub fn load_valid(&self) -> Result<Vec<Object>, CliError> {
        let mut loaded = self.load()?;
        self.project.apply(&mut loaded.findings);
        let errors: Vec<String> = loaded
            .findings
            .iter()
            .filter(|d| d.level == Level::Error)
            .map(one_line)
            .collect();
        if errors.is_empty() {
            Ok(loaded.objects)
        } else {
            Err(CliError::InvalidConfig(errors))
        }
    }

    fn run_validate(&self, keep_models: bool) -> Result<Validated, CliError> {
        let options = ValidateOptions {
            default_namespace: self.namespace.clone(),
            keep_models,
            crds: self.crds.clone(),
        };
        validate_inputs(&self.files, &self.limits, &options).map_err(|e| e.to_string().into())
    }
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

/// A MeshConfig YAML file, as `istioctl analyze --meshConfigFile` reads it.
fn read_mesh_config(path: &str) -> Result<MeshConfig, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--mesh-config {path}: cannot read it: {e}"))?;
    match single_document(path, text).map_err(|e| format!("--mesh-config {e}"))? {
        Some(root) => {
            MeshConfig::from_node(&root).map_err(|e| format!("--mesh-config {path}:{e}").into())
        }
        None => Ok(MeshConfig::default()),
    }
}
