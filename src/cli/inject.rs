//! `meshctl kube-inject`: the injection configuration from flags and files,
//! then each input streamed through the engine into a spool file that
//! reaches stdout only when every document succeeded, so that
//! `| kubectl apply -f -` never applies half a stream.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::args::{InjectMesh, KubeInjectArgs, ManifestFormat};
use super::outcome::{CliError, Outcome, Status};
use super::output::{Stdout, note};
use super::project_config::read_single_document;
use crate::inject::{self, Format, InjectConfig, Mode, Options, StreamError};
use crate::loader::{Input, InputSpec, Limits, collect_inputs};

pub fn run(args: &KubeInjectArgs, out: &mut Stdout) -> Outcome {
    if args.mesh == InjectMesh::Linkerd {
        return Err(
            "Linkerd proxy injection is not built in this meshctl; only --mesh istio".into(),
        );
    }
    let config = injection_config(args)?;
    let inputs = collect_inputs(&InputSpec {
        paths: args.filenames.clone(),
        follow_symlinks: false,
    })
    .map_err(|e| e.to_string())?;
    let options = Options {
        mode: if args.remove {
            Mode::Remove
        } else {
            Mode::Inject
        },
        format: args.output.map(|f| match f {
            ManifestFormat::Yaml => Format::Yaml,
            ManifestFormat::Json => Format::Json,
        }),
        diff: args.diff,
    };
    let spool = Spool::create().map_err(|e| format!("cannot create a spool file: {e}"))?;
    let mut writer = BufWriter::with_capacity(
        64 * 1024,
        spool.file.try_clone().map_err(|e| e.to_string())?,
    );
    for input in &inputs {
        let counts = rewrite_input(input, &config, options, &mut writer)?;
        for notice in counts.notices {
            note(&notice.text());
        }
    }
    writer
        .flush()
        .map_err(|e| format!("cannot write the spool file: {e}"))?;
    drop(writer);
    spool.copy_to(out)?;
    Ok(Status::Clean)
}

fn rewrite_input(
    input: &Input,
    config: &InjectConfig,
    options: Options,
    writer: &mut dyn Write,
) -> Result<inject::Counts, CliError> {
    let name = input.display_name();
    let result = match input {
        Input::File(path) => {
            let file = File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
            inject::rewrite_stream(
                &name,
                BufReader::with_capacity(64 * 1024, file),
                config,
                options,
                writer,
            )
        }
        Input::Stdin => inject::rewrite_stream(&name, io::stdin().lock(), config, options, writer),
    };
    result.map_err(|error| match error {
        StreamError::Document(document) => CliError::CannotRun(document.to_string()),
        StreamError::Io(io) => CliError::CannotRun(format!("{name}: {io}")),
    })
}

/// The injection settings: Istio's defaults, then the files, then the
/// flags.
fn injection_config(args: &KubeInjectArgs) -> Result<InjectConfig, CliError> {
    if args.from_cluster {
        return from_cluster();
    }
    let mut config = InjectConfig::default();
    if let Some(path) = &args.values_file {
        let doc = config_document(path, "values")?;
        config
            .values
            .apply(&doc)
            .map_err(|e| format!("{path}: {}", e.0))?;
    }
    if let Some(path) = &args.mesh_config_file {
        let doc = config_document(path, "mesh")?;
        config
            .mesh
            .apply(&doc)
            .map_err(|e| format!("{path}: {}", e.0))?;
    }
    if let Some(path) = &args.inject_config_file {
        let doc = config_document(path, "config")?;
        for warning in config
            .policy
            .apply(&doc)
            .map_err(|e| format!("{path}: {}", e.0))?
        {
            note(&warning);
        }
    }
    if let Some(revision) = &args.revision {
        config.revision = revision.clone();
        if config.values.revision.is_empty() {
            config.values.revision = revision.clone();
        }
    }
    if let Some(hub) = &args.hub {
        config.values.hub = hub.clone();
    }
    if let Some(tag) = &args.tag {
        config.values.tag = tag.clone();
    }
    config.native_sidecar = args.native_sidecar;
    Ok(config)
}

/// `--from-cluster` is to read the `istio-sidecar-injector` and `istio`
/// ConfigMaps through `crate::cluster`; it is not wired to it yet.
fn from_cluster() -> Result<InjectConfig, CliError> {
    Err("--from-cluster is not built yet (it is not wired to the cluster client); pass --valuesFile, --injectConfigFile and --meshConfigFile instead".into())
}

/// A configuration file as JSON: the document itself, or, for the
/// ConfigMap istioctl reads it from, the YAML in its `key`.
fn config_document(path: &str, key: &str) -> Result<Json, CliError> {
    let limits = Limits::default();
    let root = read_single_document(Path::new(path), &limits)?;
    let doc = root
        .as_ref()
        .map(crate::loader::Node::to_json)
        .unwrap_or_default();
    if doc.get("kind").and_then(Json::as_str) != Some("ConfigMap") {
        return Ok(doc);
    }
    let Some(text) = doc
        .get("data")
        .and_then(|d| d.get(key))
        .and_then(Json::as_str)
    else {
        return Err(format!("{path}: the ConfigMap has no data.{key}").into());
    };
    let inner = crate::loader::SourceFile::new(format!("{path} (data.{key})"), text.to_string());
    let documents = crate::loader::parse_documents(&inner, &limits);
    match documents.first() {
        Some(d) if !d.problems.is_empty() => {
            Err(format!("{path}: data.{key}: {}", d.problems[0].message).into())
        }
        Some(d) => Ok(d
            .root
            .as_ref()
            .map(crate::loader::Node::to_json)
            .unwrap_or_default()),
        None => Ok(Json::Null),
    }
}

/// A temporary file holding the output until the whole run succeeded;
/// removed when dropped.
struct Spool {
    path: PathBuf,
    file: File,
}

impl Spool {
    fn create() -> io::Result<Spool> {
        let dir = std::env::temp_dir();
        for attempt in 0..100u32 {
            let path = dir.join(format!(
                "meshctl-kube-inject-{}-{attempt}",
                std::process::id()
            ));
            match fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => return Ok(Spool { path, file }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("no free spool file name"))
    }

    fn copy_to(mut self, out: &mut Stdout) -> Result<(), CliError> {
        self.file.rewind().map_err(|e| e.to_string())?;
        let mut file = &self.file;
        out.with(|w| io::copy(&mut file, w).map(|_| ()));
        Ok(())
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}
