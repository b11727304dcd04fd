//! Flags and commands, defined once: help, completions and the docs come
//! from these definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::loader::{Limits, MAX_DEPTH_CEILING};

const AFTER_HELP: &str = "\
Exit status: 0 when nothing reaches the failure threshold, 1 when findings do
(for diff: differences found), 2 when the command cannot do its job.

Examples:
  meshctl validate manifests/                 # every YAML/JSON file below manifests/
  kustomize build . | meshctl validate -      # from stdin
  meshctl validate -o sarif k8s/ > meshctl.sarif
  meshctl explain MSH1001                     # what a finding means";

/// Validate, lint, diff and simulate Istio service-mesh configuration, offline.
#[derive(Debug, Parser)]
#[command(name = "meshctl", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check each resource on its own: YAML syntax, schema, unknown fields,
    /// and Istio's own validation rules.
    #[command(
        after_help = "Examples:\n  meshctl validate routes.yaml\n  meshctl validate -f base/ -f overlays/prod/ -o json\n  meshctl validate --fail-on warning manifests/"
    )]
    Validate(ValidateArgs),
    /// Validate plus cross-resource analysis, offline (istioctl analyze --use-kube=false).
    #[command(
        after_help = "Examples:\n  meshctl lint manifests/\n  meshctl lint --mesh-config mesh.yaml -o json manifests/"
    )]
    Lint(LintArgs),
    /// Run the analyzers against a live cluster, optionally overlaid with local files.
    #[command(
        after_help = "Examples:\n  meshctl analyze -A\n  meshctl analyze -n bookinfo --context prod changes.yaml"
    )]
    Analyze(AnalyzeArgs),
    /// Semantic diff of two sets of resources, and what changes for the traffic.
    #[command(
        after_help = "Examples:\n  meshctl diff old/ new/\n  meshctl diff --traffic --stat old/ new/\n  git show HEAD~1:routes.yaml | meshctl diff - routes.yaml -o json\n\nExit status as diff(1): 0 the same, 1 different (resources or traffic), 2 trouble."
    )]
    Diff(DiffArgs),
    /// Print every resource in meshctl's normal form (what diff compares), with its source.
    #[command(
        after_help = "Examples:\n  meshctl parse routes.yaml\n  meshctl parse -o json manifests/ | jq '.[].metadata.name'"
    )]
    Parse(ParseArgs),
    /// Where a request goes, which policy applies, how weights split traffic.
    #[command(
        after_help = "Examples:\n  meshctl simulate -f bookinfo/ --request 'GET http://reviews:9080/' -H 'end-user: jason'\n  meshctl simulate -f canary.yaml --request 'GET http://reviews:9080/' --count 10000 --seed 1"
    )]
    Simulate(SimulateArgs),
    /// Add the sidecar to workload manifests (output for `kubectl apply -f -`).
    #[command(
        after_help = "Examples:\n  meshctl kube-inject -f deployment.yaml | kubectl apply -f -"
    )]
    KubeInject(KubeInjectArgs),
    /// Print the JSON Schema of a kind, or write every schema to a folder.
    #[command(
        after_help = "Examples:\n  meshctl schema VirtualService\n  meshctl schema destinationrule --api-version v1beta1\n  meshctl schema --out-dir schemas/"
    )]
    Schema(SchemaArgs),
    /// Print the documentation of a diagnostic code.
    #[command(
        after_help = "Examples:\n  meshctl explain MSH1001\n  meshctl explain unknown-field\n  meshctl explain --list"
    )]
    Explain(ExplainArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  meshctl completions bash > /etc/bash_completion.d/meshctl\n  meshctl completions zsh > \"${fpath[1]}/_meshctl\""
    )]
    Completions(CompletionsArgs),
    /// Print meshctl's version and the mesh APIs it checks against.
    Version,
}

/// Where configuration comes from.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Files, directories (recursive: *.yaml, *.yml, *.json) or - for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// A file, directory or - (repeatable); the same as a positional PATH.
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filenames: Vec<String>,
    /// Namespace for resources that name none (default: `default`; for analyze, the context's namespace). It does not restrict which namespaces are checked.
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    /// Follow symbolic links while walking directories (loops are detected).
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Do not read paths matching this glob (gitignore syntax, relative to
    /// the folder walked) while walking a folder. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also walk hidden folders and files (dot-names); .gitignore still applies.
    #[arg(long)]
    pub include_hidden: bool,
    /// Read this project configuration instead of the nearest .meshctl.yaml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<String>,
    /// Read no .meshctl.yaml.
    #[arg(long)]
    pub no_config: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

impl InputArgs {
    /// `-n`, or `default` when it is not given.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    pub fn all_paths(&self) -> Vec<String> {
        self.paths.iter().chain(&self.filenames).cloned().collect()
    }
}

/// Bounds on hostile or accidental input; each finding names its flag.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Input bounds")]
pub struct LimitArgs {
    /// Largest file read, in bytes.
    #[arg(long, default_value_t = Limits::default().max_file_bytes)]
    pub max_file_bytes: u64,
    /// Largest document, in bytes.
    #[arg(long, default_value_t = Limits::default().max_document_bytes)]
    pub max_document_bytes: usize,
    /// Deepest nesting of mappings and lists (at most 1000).
    #[arg(long, default_value_t = Limits::default().max_depth, value_parser = parse_max_depth)]
    pub max_depth: usize,
    /// Most nodes that YAML aliases may expand to in one document.
    #[arg(long, default_value_t = Limits::default().max_alias_nodes)]
    pub max_alias_nodes: usize,
}

/// `--max-depth`, within the ceiling that keeps the checks' recursion
/// off the end of the stack.
fn parse_max_depth(text: &str) -> Result<usize, String> {
    let depth: usize = text.parse().map_err(|e| format!("{e}"))?;
    if depth > MAX_DEPTH_CEILING {
        return Err(format!(
            "at most {MAX_DEPTH_CEILING}: deeper trees would overflow the stack of the checks that walk them"
        ));
    }
    Ok(depth)
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_document_bytes: self.max_document_bytes,
            max_depth: self.max_depth,
            max_alias_nodes: self.max_alias_nodes,
        }
    }
}

/// How findings are reported.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct ReportArgs {
    /// Output format on stdout.
    #[arg(short = 'o', long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Also write a report to a file, e.g. sarif=meshctl.sarif (repeatable;
    /// FORMAT is one of -o's, text without colour).
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report_file)]
    pub reports: Vec<ReportFile>,
    /// Exit 1 when a finding is at or above this level; none: only exit 2
    /// (the run could not be done) fails.
    #[arg(long, visible_alias = "failure-threshold", value_enum, ignore_case = true, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Report only findings at or above this level.
    #[arg(long, value_enum, ignore_case = true, default_value_t = Threshold::Info)]
    pub output_threshold: Threshold,
    /// The repository root that SARIF, GitHub and GitLab file paths are
    /// relative to (default: the git top level).
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<String>,
    /// Colour in the text report (auto: only on a terminal, never with
    /// NO_COLOR or TERM=dumb).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The formats of the diagnostics commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Yaml,
    Sarif,
    /// GitHub Actions workflow commands (annotations on the diff).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML (GitLab, Jenkins test reports).
    Junit,
}

/// The formats of `simulate` and `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

/// `--report FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub format: OutputFormat,
    pub path: String,
}

fn parse_report_file(value: &str) -> Result<ReportFile, String> {
    let (format, path) = value
        .split_once('=')
        .filter(|(_, path)| !path.is_empty())
        .ok_or("expected FORMAT=PATH, e.g. sarif=meshctl.sarif")?;
    let format = OutputFormat::from_str(format, true)?;
    Ok(ReportFile {
        format,
        path: path.to_string(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub custom_kinds: CustomKindArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Kinds meshctl's model does not cover: CRDs that check them, or errors
/// for them.
#[derive(Debug, Args)]
#[command(next_help_heading = "Input")]
pub struct CustomKindArgs {
    /// Also check custom resources against this CRD file or folder of CRDs
    /// (repeatable): its openAPIV3Schema and CEL rules.
    #[arg(long = "crd", value_name = "FILE")]
    pub crds: Vec<String>,
    /// A resource nothing checks (a kind meshctl does not model, with no
    /// `--crd` for it) is an error (MSH1009), as kubeconform's default,
    /// instead of only being counted in the summary.
    #[arg(long)]
    pub strict_kinds: bool,
}

/// MeshConfig and MeshNetworks, as istioctl reads them.
#[derive(Debug, Args)]
#[command(next_help_heading = "Mesh")]
pub struct MeshArgs {
    /// MeshConfig YAML (as `istioctl analyze --meshConfigFile`).
    #[arg(long, value_name = "FILE")]
    pub mesh_config: Option<String>,
    /// MeshNetworks YAML.
    #[arg(long, value_name = "FILE")]
    pub mesh_networks: Option<String>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Hide findings of a code on a resource: 'CODE=Kind ns/name' (or
    /// istioctl's 'CODE=Kind name.namespace'); `*` is a wildcard. Repeatable.
    #[arg(
        short = 'S',
        long = "suppress",
        value_name = "CODE=Kind ns/name",
        help_heading = "Analysis"
    )]
    pub suppress: Vec<String>,
    /// Run only this analyzer, by istioctl's name (e.g.
    /// virtualservice.DestinationHostAnalyzer; schema.ValidationAnalyzer is
    /// validate). Repeatable.
    #[arg(long = "analyzer", value_name = "NAME", help_heading = "Analysis")]
    pub analyzers: Vec<String>,
    #[command(flatten)]
    pub custom_kinds: CustomKindArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub mesh: MeshArgs,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// lint's flags. Its paths are local files overlaid on the cluster (a
    /// local resource replaces the cluster's of the same kind, namespace
    /// and name); its -n is also the namespace analyzed.
    #[command(flatten)]
    pub lint: LintArgs,
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Analyze every namespace.
    #[arg(short = 'A', long, help_heading = "Cluster")]
    pub all_namespaces: bool,
    /// false: read no cluster, only the files (the same as lint).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, help_heading = "Cluster")]
    pub use_kube: bool,
}

/// How to reach a cluster, as kubectl's flags say it (analyze, diff --cluster).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Cluster")]
pub struct ClusterArgs {
    /// The kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then
    /// the pod's service account).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<String>,
    /// Kubeconfig context to use.
    #[arg(long)]
    pub context: Option<String>,
    /// One bound for every request to the cluster together (e.g. 30s, 2m).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_timeout)]
    pub timeout: std::time::Duration,
}

impl ClusterArgs {
    pub fn options(&self) -> crate::cluster::ClusterOptions {
        crate::cluster::ClusterOptions {
            kubeconfig: self.kubeconfig.clone().map(Into::into),
            context: self.context.clone(),
            timeout: self.timeout,
        }
    }
}

fn parse_timeout(value: &str) -> Result<std::time::Duration, String> {
    crate::mesh::duration::parse(value).and_then(|d| {
        if d.is_zero() {
            Err("--timeout must be more than 0".to_string())
        } else {
            Ok(d)
        }
    })
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD then NEW: each a file, directory or - (with --cluster, NEW alone).
    #[command(flatten)]
    pub input: Box<InputArgs>,
    #[command(flatten)]
    pub mesh: MeshArgs,
    /// Compare what the cluster holds (the kinds and namespaces NEW names)
    /// with NEW, as `kubectl diff` does.
    #[arg(long, help_heading = "Diff")]
    pub cluster: bool,
    #[command(flatten)]
    pub cluster_access: ClusterArgs,
    /// With --cluster: also the removals `kubectl apply --prune` would make.
    #[arg(long, requires = "cluster", help_heading = "Diff")]
    pub prune: bool,
    /// Also report the request classes whose outcome changes (simulated on
    /// both sides).
    #[arg(long, help_heading = "Diff")]
    pub traffic: bool,
    /// DNS suffix of Services, for --traffic.
    #[arg(
        long,
        value_name = "DOMAIN",
        default_value = "cluster.local",
        help_heading = "Diff"
    )]
    pub cluster_domain: String,
    /// A table of changes by kind instead of the diff.
    #[arg(long, help_heading = "Output")]
    pub stat: bool,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = TextOrJson::Text, help_heading = "Output")]
    pub output: TextOrJson,
    /// Colour the text diff: auto (a terminal, without NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, help_heading = "Output")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: YAML documents, or one JSON array.
    #[arg(short = 'o', long, value_enum, default_value_t = YamlOrJson::Yaml, help_heading = "Output")]
    pub output: YamlOrJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum YamlOrJson {
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The configuration: files, directories or - (positional or -f, repeatable).
    #[command(flatten)]
    pub input: Box<InputArgs>,
    #[command(flatten)]
    pub mesh: MeshArgs,
    /// The request: 'METHOD URL', e.g. 'GET http://reviews.default.svc.cluster.local:9080/api', or a connection 'TCP HOST:PORT' or 'TLS HOST[:PORT]'.
    #[arg(help_heading = "Request", long, required = true)]
    pub request: Option<String>,
    /// The SNI of a 'TLS' request (default: its host).
    #[arg(help_heading = "Request", long, value_name = "NAME")]
    pub sni: Option<String>,
    /// The IP address the client connects to, for destinationSubnets of TCP and TLS routes.
    #[arg(help_heading = "Request", long, value_name = "IP")]
    pub destination_ip: Option<String>,
    /// A request header 'name: value' (repeatable).
    #[arg(help_heading = "Request", short = 'H', long = "header")]
    pub headers: Vec<String>,
    /// Labels of the calling workload, k=v,k=v.
    #[arg(help_heading = "Request", long)]
    pub source_labels: Option<String>,
    /// Namespace of the calling workload.
    #[arg(help_heading = "Request", long)]
    pub source_namespace: Option<String>,
    /// Peer identity of the caller, cluster.local/ns/NS/sa/SA.
    #[arg(help_heading = "Request", long)]
    pub source_principal: Option<String>,
    /// IP address of the caller.
    #[arg(help_heading = "Request", long)]
    pub source_ip: Option<String>,
    /// A JWT claim k=v (repeatable).
    #[arg(help_heading = "Request", long)]
    pub jwt_claim: Vec<String>,
    /// Simulate ingress through this Gateway, NS/NAME.
    #[arg(help_heading = "Request", long)]
    pub gateway: Option<String>,
    /// Draw this many requests through the weighted choice (at most
    /// 100000000).
    #[arg(
        help_heading = "Request",
        long,
        value_parser = clap::value_parser!(u64).range(..=crate::simulate::MAX_COUNT)
    )]
    pub count: Option<u64>,
    /// Seed for --count (default 1): the same seed gives the same counts.
    #[arg(help_heading = "Request", long)]
    pub seed: Option<u64>,
    /// DNS suffix of Services: short hosts expand to name.namespace.svc.DOMAIN.
    #[arg(
        help_heading = "Request",
        long,
        value_name = "DOMAIN",
        default_value = "cluster.local"
    )]
    pub cluster_domain: String,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t = TextOrJson::Text, help_heading = "Output")]
    pub output: TextOrJson,
}

#[derive(Debug, Args)]
pub struct KubeInjectArgs {
    /// The workload manifests to inject: files, directories (recursive) or - for stdin. Repeatable.
    #[arg(short = 'f', long = "filename", value_name = "FILE", required = true)]
    pub filenames: Vec<String>,
    /// MeshConfig (YAML) to inject with, as `istioctl kube-inject --meshConfigFile`.
    #[arg(
        long = "meshConfigFile",
        value_name = "FILE",
        help_heading = "Configuration"
    )]
    pub mesh_config_file: Option<String>,
    /// The injector's configuration (the `config` of the istio-sidecar-injector ConfigMap, or that ConfigMap): policy, selectors, default templates.
    #[arg(
        long = "injectConfigFile",
        value_name = "FILE",
        help_heading = "Configuration"
    )]
    pub inject_config_file: Option<String>,
    /// The injector's values (the `values` of the istio-sidecar-injector ConfigMap, or that ConfigMap).
    #[arg(
        long = "valuesFile",
        value_name = "FILE",
        help_heading = "Configuration"
    )]
    pub values_file: Option<String>,
    /// The control-plane revision to inject for (istio.io/rev, istiod-REVISION).
    #[arg(long, value_name = "R", help_heading = "Configuration")]
    pub revision: Option<String>,
    /// The proxy image registry (values global.hub).
    #[arg(long, value_name = "HUB", help_heading = "Configuration")]
    pub hub: Option<String>,
    /// The proxy image tag (values global.tag).
    #[arg(long, value_name = "TAG", help_heading = "Configuration")]
    pub tag: Option<String>,
    /// Inject istio-proxy as a native sidecar (an init container with restartPolicy Always); false for a classic container. A pod's sidecar.istio.io/nativeSidecar annotation wins.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, help_heading = "Configuration")]
    pub native_sidecar: bool,
    /// Read the istio-sidecar-injector and istio ConfigMaps (-REVISION with --revision) from the cluster; --valuesFile, --injectConfigFile and --meshConfigFile still win.
    #[arg(long, help_heading = "Configuration")]
    pub from_cluster: bool,
    /// The namespace of Istio's ConfigMaps, for --from-cluster.
    #[arg(
        long,
        visible_alias = "istioNamespace",
        short = 'i',
        value_name = "NS",
        default_value = "istio-system",
        help_heading = "Configuration"
    )]
    pub istio_namespace: String,
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Take injection back out: containers, volumes, annotations, labels and rewritten probes.
    #[arg(long, conflicts_with = "diff")]
    pub remove: bool,
    /// Print a unified diff of each changed workload instead of the manifests.
    #[arg(long)]
    pub diff: bool,
    /// The mesh whose proxy to inject (linkerd: not built yet, exits 2).
    #[arg(long, value_enum, default_value_t = InjectMesh::Istio)]
    pub mesh: InjectMesh,
    /// Format of rewritten workloads (default: the format each came in).
    #[arg(short = 'o', long, value_enum, help_heading = "Output")]
    pub output: Option<ManifestFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InjectMesh {
    Istio,
    Linkerd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManifestFormat {
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The kind (case-insensitive), e.g. VirtualService.
    #[arg(required_unless_present = "out_dir")]
    pub kind: Option<String>,
    /// The version to print (default: the newest served).
    #[arg(long)]
    pub api_version: Option<String>,
    /// Write every kind at every served version to this folder.
    #[arg(long, value_name = "DIR", conflicts_with = "kind")]
    pub out_dir: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code (MSH1001, IST0101) or rule name (unknown-field).
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code with its summary.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}
