//! `meshctl analyze`: lint's analyzers over what a live cluster holds,
//! optionally overlaid with local files (`--use-kube=false`: the files
//! alone, as lint).

use super::args::AnalyzeArgs;
use super::cluster::{MESH_CONFIG_MAP, cluster_mesh_config, note_not_served, overlaid};
use super::findings;
use super::inputs::Inputs;
use super::lint::lint_options;
use super::outcome::Outcome;
use super::output::Stdout;
use crate::analyze::{LintOptions, kinds_read, lint, permissions};
use crate::cluster::{KindRef, ReadRequest, Scope, connect};
use crate::report::Diagnostic;
use crate::validate::validate_objects;

/// The sidecar injector's ConfigMap, which injection checks read.
const INJECTOR_CONFIG_MAP: &str = "istio-sidecar-injector";

pub fn run(args: &AnalyzeArgs, out: &mut Stdout) -> Outcome {
    let outcome = analyze(args, out);
    findings::on_failure(outcome, "analyze", &args.lint.report, out)
}

fn analyze(args: &AnalyzeArgs, out: &mut Stdout) -> Outcome {
    if !args.use_kube {
        return super::lint::lint_files(&args.lint, out);
    }
    let lint_args = &args.lint;
    let mut inputs = Inputs::gather_optional(&lint_args.input)?
        .with_mesh(&lint_args.mesh)?
        .with_custom_kinds(&lint_args.custom_kinds)?;
    let mut options = lint_options(lint_args, &inputs)?;
    let cluster = connect(&args.cluster.options()).map_err(|e| e.to_string())?;
    // As kubectl and istioctl: without -n, the context's namespace.
    let namespace = lint_args
        .input
        .namespace
        .clone()
        .unwrap_or_else(|| cluster.default_namespace().to_string());
    inputs.set_default_namespace(&namespace);
    let own_mesh_config = lint_args.mesh.mesh_config.is_none();
    let request = read_request(&options, own_mesh_config);
    let read = cluster.read(&request).map_err(|e| e.to_string())?;
    if own_mesh_config {
        options.snapshot.mesh = cluster_mesh_config(&read, options.snapshot.root_namespace())?;
    }
    // A live cluster has its own ingress gateway: istioctl makes one up
    // only for files.
    options.snapshot.default_ingress = false;
    note_not_served(&read);
    let gaps = permissions::findings(&read.gaps);
    let loaded = inputs.load()?;
    let cluster_objects = overlaid(read.objects, &loaded.objects);
    let mut stats = loaded.stats;
    stats.resources += cluster_objects.len();
    let mut validated = loaded.findings;
    validated.extend(validate_objects(&cluster_objects, inputs.custom_kinds()));
    let mut objects = cluster_objects;
    objects.extend(loaded.objects);
    let mut found = gaps;
    found.extend(lint(objects, validated, options));
    if !args.all_namespaces {
        found.retain(|d| in_namespace(d, &namespace));
    }
    findings::report(found, stats, &lint_args.report, &inputs, out)
}

/// The kinds the selected analyzers read (ConfigMaps by name only), in
/// every namespace: istioctl reads the whole mesh and reports on one
/// namespace, since a route in it may point at a Service of any other.
fn read_request(options: &LintOptions, own_mesh_config: bool) -> ReadRequest {
    let kinds: Vec<&str> = kinds_read(options);
    let root = options.snapshot.root_namespace().to_string();
    let mut config_maps = Vec::new();
    if own_mesh_config {
        config_maps.push((root.clone(), MESH_CONFIG_MAP.to_string()));
    }
    if kinds.contains(&"ConfigMap") {
        config_maps.push((root, INJECTOR_CONFIG_MAP.to_string()));
    }
    ReadRequest {
        kinds: kinds
            .into_iter()
            .filter(|k| *k != "ConfigMap")
            .flat_map(KindRef::all_named)
            .collect(),
        config_maps,
        scope: Scope::All,
    }
}

/// Whether a finding is about the namespace analyzed; findings about
/// cluster-scoped resources and about no resource (a refused list) are
/// always shown.
fn in_namespace(finding: &Diagnostic, namespace: &str) -> bool {
    finding
        .origin
        .as_ref()
        .and_then(|o| o.namespace.as_deref())
        .is_none_or(|ns| ns == namespace)
}
