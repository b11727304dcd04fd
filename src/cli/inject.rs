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
use crate::cluster::connect;
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

/// The injection settings: Istio's defaults, then the cluster's ConfigMaps
/// (`--from-cluster`), then the files, then the flags.
fn injection_config(args: &KubeInjectArgs) -> Result<InjectConfig, CliError> {
    let mut documents = if args.from_cluster {
        cluster_documents(args)?
    } else {
        ConfigDocuments::default()
    };
    if let Some(path) = &args.values_file {
        documents.values = Some((path.clone(), config_document(path, "values")?));
    }
    if let Some(path) = &args.mesh_config_file {
        documents.mesh = Some((path.clone(), config_document(path, "mesh")?));
    }
    if let Some(path) = &args.inject_config_file {
        documents.config = Some((path.clone(), config_document(path, "config")?));
    }
    let mut config = InjectConfig::default();
    if let Some((name, doc)) = &documents.values {
        config
            .values
            .apply(doc)
            .map_err(|e| format!("{name}: {}", e.0))?;
    }
    if let Some((name, doc)) = &documents.mesh {
        config
            .mesh
            .apply(doc)
            .map_err(|e| format!("{name}: {}", e.0))?;
    }
    if let Some((name, doc)) = &documents.config {
        for warning in config
            .policy
            .apply(doc)
            .map_err(|e| format!("{name}: {}", e.0))?
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

/// The three documents injection reads, each with the name its errors
/// give: Helm values, MeshConfig, and the injector's own config.
#[derive(Default)]
struct ConfigDocuments {
    values: Option<(String, Json)>,
    mesh: Option<(String, Json)>,
    config: Option<(String, Json)>,
}

/// `--from-cluster`: the injector's ConfigMap (`istio-sidecar-injector`,
/// keys `values` and `config`) and the mesh's (`istio`, key `mesh`) in the
/// Istio namespace, suffixed with `-REVISION` for a revision as istiod names
/// them; read by name (GET only), nothing else. A missing ConfigMap is an
/// error: injecting with defaults the cluster does not use would be a guess.
fn cluster_documents(args: &KubeInjectArgs) -> Result<ConfigDocuments, CliError> {
    let cluster = connect(&args.cluster.options()).map_err(|e| e.to_string())?;
    let suffix = match args.revision.as_deref() {
        None | Some("" | "default") => String::new(),
        Some(revision) => format!("-{revision}"),
    };
    let namespace = args.istio_namespace.as_str();
    let read = |name: String, keys: &[&str]| -> Result<Vec<(String, Json)>, CliError> {
        let data = cluster
            .get_config_map(namespace, &name)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| {
                format!(
                    "--from-cluster: the cluster has no ConfigMap {namespace}/{name} (context {}, server {})",
                    cluster.context(),
                    cluster.server()
                )
            })?;
        keys.iter()
            .map(|key| {
                let origin = format!("ConfigMap {namespace}/{name} (data.{key})");
                let doc = match data.get(*key) {
                    Some(text) => yaml_text_to_json(&origin, text)?,
                    None => Json::Null,
                };
                Ok((origin, doc))
            })
            .collect()
    };
    let mut injector = read(
        format!("istio-sidecar-injector{suffix}"),
        &["values", "config"],
    )?
    .into_iter();
    let mut mesh = read(format!("istio{suffix}"), &["mesh"])?.into_iter();
    Ok(ConfigDocuments {
        values: injector.next(),
        config: injector.next(),
        mesh: mesh.next(),
    })
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
    yaml_text_to_json(&format!("{path}: data.{key}"), text)
}

/// YAML (or JSON) text held in a ConfigMap key, as JSON; `name` says where
/// it came from in errors.
fn yaml_text_to_json(name: &str, text: &str) -> Result<Json, CliError> {
    let inner = crate::loader::SourceFile::new(name, text.to_string());
    let documents = crate::loader::parse_documents(&inner, &Limits::default());
    match documents.first() {
        Some(d) if !d.problems.is_empty() => {
            Err(format!("{name}: {}", d.problems[0].message).into())
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
