//! The analyze engine: checks that look across resources, run over a
//! [`Snapshot`]. `meshctl lint` feeds it files, `meshctl analyze` a cluster.
//!
//! One analyzer per file, grouped in folders by the kind they are about.
//! Each declares its [`Rule`]s (code, level, documentation, example) and a
//! function over the snapshot that reports through [`Report`].
//!
//! Invariants: no I/O, no printing; analyzers only read the snapshot and use
//! its indexes (or build their own in one pass), so the cost stays near
//! linear in the number of resources; the result does not depend on the
//! order the analyzers run in.

pub(crate) mod annotations;
mod authentication;
mod authorization;
mod deprecation;
mod destination_rule;
mod envoy_filter;
mod gateway;
mod gateway_api;
mod mesh;
mod multicluster;
pub mod permissions;
mod service;
mod service_entry;
mod sidecar;
mod status;
pub mod suppress;
mod telemetry;
mod virtual_service;
mod webhook;
mod workload;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::loader::{LoadedFile, Pos, SourceFile};
use crate::model::{MeshKind, Object};
use crate::report::{Diagnostic, Origin, Rule};
use crate::snapshot::{Snapshot, SnapshotOptions};
use crate::validate::{ValidateOptions, validate, validate_objects};
use suppress::FlagSuppression;

/// A registered analyzer.
pub struct Analyzer {
    /// istioctl's name for the analyzer this one matches
    /// (`virtualservice.DestinationHostAnalyzer`), or meshctl's own.
    pub name: &'static str,
    /// The rules it reports under.
    pub rules: &'static [&'static Rule],
    pub run: fn(&Snapshot, &mut Report),
}

/// Every analyzer, in one place.
pub fn all() -> Vec<&'static Analyzer> {
    [
        virtual_service::ANALYZERS,
        destination_rule::ANALYZERS,
        gateway::ANALYZERS,
        service_entry::ANALYZERS,
        sidecar::ANALYZERS,
        authorization::ANALYZERS,
        service::ANALYZERS,
        workload::ANALYZERS,
        annotations::ANALYZERS,
        deprecation::ANALYZERS,
        mesh::ANALYZERS,
        envoy_filter::ANALYZERS,
        telemetry::ANALYZERS,
        webhook::ANALYZERS,
        authentication::ANALYZERS,
        gateway_api::ANALYZERS,
        status::ANALYZERS,
        multicluster::ANALYZERS,
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect()
}

/// The analyzers istioctl leaves out of a default run, as not in its
/// `analyzers.All()`: they run only when `--analyzer` names them.
const OPT_IN: &[&str] = &["annotations.AlphaAnalyzer"];

/// The analyzers a run without `--analyzer` runs: all but the opt-in ones.
pub fn defaults() -> Vec<&'static Analyzer> {
    all()
        .into_iter()
        .filter(|a| !OPT_IN.contains(&a.name))
        .collect()
}

/// Every rule the analyzers report under, once (analyzers may share one, as
/// istioctl's do).
pub fn rules() -> Vec<&'static Rule> {
    let mut seen = HashSet::new();
    all()
        .iter()
        .flat_map(|a| a.rules.iter().copied())
        .filter(|r| seen.insert(r.name))
        .collect()
}

/// The kinds a run with these options reads, by name, sorted: those the
/// selected analyzers' rules declare, and the mesh kinds whose validation
/// is selected. `MeshConfig` is not a resource kind and `*` (any document)
/// names none, so neither is listed.
pub fn kinds_read(options: &LintOptions) -> Vec<&'static str> {
    let declared = options
        .analyzers
        .iter()
        .flat_map(|a| a.rules.iter().flat_map(|r| r.kinds.iter().copied()));
    let validated: Vec<&'static str> = match &options.validate {
        ValidateSelection::All => MeshKind::NAMES.to_vec(),
        ValidateSelection::None => Vec::new(),
        ValidateSelection::Kinds(kinds) => MeshKind::ALL
            .into_iter()
            .map(MeshKind::name)
            .filter(|name| kinds.iter().any(|k| k == name))
            .collect(),
    };
    let mut kinds: Vec<&'static str> = declared
        .chain(validated)
        .filter(|k| !matches!(*k, "*" | "MeshConfig" | "MeshNetworks"))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// What a lint run needs besides the resources.
pub struct LintOptions {
    /// The mesh the resources run in (MeshConfig, cluster domain, default
    /// ingress gateway).
    pub snapshot: SnapshotOptions,
    pub suppressions: Vec<FlagSuppression>,
    /// The analyzers to run (istioctl's `--analyzer`); by default all but
    /// the opt-in ones ([`defaults`]).
    pub analyzers: Vec<&'static Analyzer>,
    /// Which of validate's findings are reported (istioctl's
    /// `schema.ValidationAnalyzer`, one per kind).
    pub validate: ValidateSelection,
    /// The time certificates are checked at; the current time by default.
    pub now: SystemTime,
}

/// Which of validate's findings lint reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidateSelection {
    All,
    None,
    /// Only findings about resources of these kinds
    /// (`schema.ValidationAnalyzer.VirtualService`).
    Kinds(Vec<String>),
}

impl ValidateSelection {
    fn keeps(&self, diagnostic: &Diagnostic) -> bool {
        match self {
            ValidateSelection::All => true,
            ValidateSelection::None => false,
            ValidateSelection::Kinds(kinds) => diagnostic
                .origin
                .as_ref()
                .is_some_and(|o| kinds.contains(&o.kind)),
        }
    }
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            snapshot: SnapshotOptions::default(),
            suppressions: Vec::new(),
            analyzers: defaults(),
            validate: ValidateSelection::All,
            now: SystemTime::now(),
        }
    }
}

/// istioctl's name for the analyzers that report schema and webhook
/// validation (`schema.ValidationAnalyzer.<Kind>`, one per kind); in meshctl
/// that is validate itself.
pub const VALIDATION_ANALYZER: &str = "schema.ValidationAnalyzer";

/// Selects analyzers by istioctl's names (`--analyzer`); an unknown name is
/// an error listing the known ones.
pub fn select(names: &[String], options: &mut LintOptions) -> Result<(), String> {
    if names.is_empty() {
        return Ok(());
    }
    let known = all();
    let mut kinds = Vec::new();
    options.validate = ValidateSelection::None;
    options.analyzers = Vec::new();
    for name in names {
        if let Some(rest) = name.strip_prefix(VALIDATION_ANALYZER) {
            match rest.strip_prefix('.') {
                Some(kind) => kinds.push(kind.to_string()),
                None => options.validate = ValidateSelection::All,
            }
            continue;
        }
        let analyzer = known.iter().find(|a| a.name == name).ok_or_else(|| {
            let mut names: Vec<&str> = known.iter().map(|a| a.name).collect();
            names.push(VALIDATION_ANALYZER);
            names.sort_unstable();
            format!(
                "--analyzer {name:?}: no such analyzer; known: {}",
                names.join(", ")
            )
        })?;
        options.analyzers.push(analyzer);
    }
    if !kinds.is_empty() && options.validate != ValidateSelection::All {
        options.validate = ValidateSelection::Kinds(kinds);
    }
    Ok(())
}

/// Lint: the analyzers over the resources, joined with what validate found
/// in them, then suppressions applied and exact repeats dropped (istioctl
/// reports a message once).
pub fn lint(
    objects: Vec<Object>,
    validate_findings: Vec<Diagnostic>,
    options: LintOptions,
) -> Vec<Diagnostic> {
    let snapshot = Snapshot::new(objects, options.snapshot).at(options.now);
    let mut found = validate_findings;
    found.retain(|d| options.validate.keeps(d));
    found.extend(analyze(&snapshot, &options.analyzers));
    let mut found = suppress::apply(found, &options.suppressions, snapshot.objects());
    let mut seen = HashSet::new();
    found.retain(|d| seen.insert(identity(d)));
    // By file and position; findings about no file (an unused --suppress)
    // come last.
    found.sort_by(|a, b| {
        fn key(d: &Diagnostic) -> Option<(&str, crate::loader::Pos)> {
            d.location.as_ref().map(|l| (l.source.name.as_str(), l.pos))
        }
        match (key(a), key(b)) {
            (Some(x), Some(y)) => x.cmp(&y).then(a.rule.code.cmp(b.rule.code)),
            (x, y) => y.is_some().cmp(&x.is_some()),
        }
    });
    found
}

/// Lint files already loaded: validate keeping the models, then [`lint`].
/// For callers that hold text rather than paths (tests, the fuzzer).
pub fn lint_loaded(
    files: Vec<LoadedFile>,
    default_namespace: &str,
    options: LintOptions,
) -> Vec<Diagnostic> {
    let validate_options = ValidateOptions {
        default_namespace: default_namespace.to_string(),
        keep_models: true,
        let_go_texts: false,
        custom_kinds: Default::default(),
    };
    let validated = validate(files, &validate_options);
    let objects = validated
        .models
        .into_iter()
        .flat_map(|m| m.objects)
        .collect();
    lint(objects, validated.diagnostics, options)
}

/// Lint objects already read rather than files (a cluster's objects, or
/// made-up ones): validate's findings on them, then [`lint`].
pub fn lint_objects(objects: Vec<Object>, options: LintOptions) -> Vec<Diagnostic> {
    let validated = validate_objects(&objects, &Default::default());
    lint(objects, validated, options)
}

/// What makes two findings the same message.
type Identity = (
    &'static str,
    String,
    Option<String>,
    Option<(String, u32, u32)>,
);

fn identity(d: &Diagnostic) -> Identity {
    (
        d.rule.name,
        d.message.clone(),
        d.origin.as_ref().map(|o| o.to_string()),
        d.location
            .as_ref()
            .map(|l| (l.source.name.clone(), l.pos.line, l.pos.column)),
    )
}

/// Runs the analyzers (in parallel) and returns their findings, analyzer by
/// analyzer in the order given ([`lint`] orders them by file and position).
pub fn analyze(snapshot: &Snapshot, analyzers: &[&'static Analyzer]) -> Vec<Diagnostic> {
    analyzers
        .par_iter()
        .flat_map_iter(|analyzer| {
            let mut report = Report::default();
            (analyzer.run)(snapshot, &mut report);
            report.found
        })
        .collect()
}

/// `[a, b]`: the names of the objects, sorted, each once, as findings
/// about several resources list them.
fn object_names(objects: &[&Object]) -> String {
    let mut names: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    format!("[{}]", names.join(", "))
}

/// Where an analyzer reports. A finding names the object and the field
/// path; the position comes from the object's tree.
#[derive(Default)]
pub struct Report {
    found: Vec<Diagnostic>,
}

impl Report {
    pub fn report(
        &mut self,
        rule: &'static Rule,
        object: &Object,
        path: &str,
        message: impl Into<String>,
    ) {
        let pos = object.locate_value(path);
        self.found
            .push(Diagnostic::new(rule, message).about(object, pos, path));
    }

    /// A finding about something that is not a resource (a settings file
    /// such as MeshNetworks), named by `origin`, at a place in its file.
    pub fn report_in_file(
        &mut self,
        rule: &'static Rule,
        origin: Origin,
        source: &Arc<SourceFile>,
        pos: Pos,
        path: &str,
        message: impl Into<String>,
    ) {
        self.found.push(
            Diagnostic::new(rule, message)
                .at(source, pos, path)
                .origin(Some(origin)),
        );
    }

    /// A finding with advice on the fix.
    pub fn report_with_help(
        &mut self,
        rule: &'static Rule,
        object: &Object,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report(rule, object, path, message);
        if let Some(last) = self.found.last_mut() {
            last.help = Some(help.into());
        }
    }
}

/// Helpers for analyzer tests: lint YAML text (validate, then analyze with
/// Istio's default MeshConfig) and render one rule's findings one per line,
/// `CODE origin line:column path: message`.
#[cfg(test)]
pub(crate) mod test_support {
    use std::time::{Duration, UNIX_EPOCH};

    use crate::loader::{Limits, LoadedFile, SourceFile, parse_documents};
    use crate::report::{Diagnostic, Rule};
    use crate::snapshot::{MeshConfig, SnapshotOptions};
    use crate::validate::test_support::position;

    use super::LintOptions;

    /// The time analyzer tests run at, 2030-01-01T00:00:00Z: fixed, so that
    /// no test depends on the wall clock.
    pub const TEST_TIME: u64 = 1_893_456_000;

    /// Every finding lint makes on the text at [`TEST_TIME`]: validate's and
    /// the analyzers'.
    pub fn lint(yaml: &str, mesh: MeshConfig) -> Vec<Diagnostic> {
        lint_with_options(yaml, SnapshotOptions::new(mesh))
    }

    /// [`lint`] with these snapshot options.
    pub fn lint_with_options(yaml: &str, snapshot: SnapshotOptions) -> Vec<Diagnostic> {
        let source = SourceFile::new("test.yaml", yaml.to_string());
        let documents = parse_documents(&source, &Limits::default());
        // Every analyzer, the opt-in ones too: tests read each rule's findings.
        let options = LintOptions {
            snapshot,
            now: UNIX_EPOCH + Duration::from_secs(TEST_TIME),
            analyzers: super::all(),
            ..LintOptions::default()
        };
        super::lint_loaded(vec![LoadedFile { source, documents }], "default", options)
    }

    fn line(d: &Diagnostic) -> String {
        let (pos, path) = position(d);
        let origin = d.origin.as_ref().map(|o| o.to_string()).unwrap_or_default();
        format!("{} {origin} {pos} {path}: {}", d.rule.code, d.message)
    }

    /// The findings of one rule, with the default MeshConfig.
    pub fn findings_of(rule: &Rule, yaml: &str) -> String {
        findings_with(rule, yaml, MeshConfig::default())
    }

    /// The findings of one rule, with this MeshConfig.
    pub fn findings_with(rule: &Rule, yaml: &str, mesh: MeshConfig) -> String {
        lint(yaml, mesh)
            .iter()
            .filter(|d| d.rule.name == rule.name)
            .map(line)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The tests every analyzer rule has: a snapshot of what it finds in its
    /// documented example, and silence on `quiet` (input that is right).
    macro_rules! analyzer_tests {
        ($rule:ident, $quiet:expr) => {
            #[test]
            fn fires_on_the_example() {
                insta::assert_snapshot!(crate::analyze::test_support::findings_of(
                    &$rule,
                    $rule.example.yaml
                ));
            }

            #[test]
            fn quiet_when_right() {
                assert_eq!(
                    crate::analyze::test_support::findings_of(&$rule, $quiet),
                    ""
                );
            }
        };
    }
    pub(crate) use analyzer_tests;
}

#[cfg(test)]
mod tests {
    use crate::loader::{Limits, SourceFile, parse_documents};
    use crate::model::{Object, ObjectSource, read_tree};
    use crate::report::diagnostic_json;

    use super::{LintOptions, lint_objects};

    /// The resources of the text as a cluster would hand them over.
    fn cluster_objects(yaml: &str) -> Vec<Object> {
        let text = SourceFile::new("", yaml.to_string());
        parse_documents(&text, &Limits::default())
            .into_iter()
            .filter_map(|d| read_tree(d.root?, ObjectSource::Cluster { json: None }, "default"))
            .collect()
    }

    #[test]
    fn findings_about_cluster_objects_name_the_object_and_no_file() {
        let objects = cluster_objects(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n      weigth: 10\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ratings}\nspec:\n  hosts: [ratings]\n  http:\n  - route:\n    - destination: {host: ratings}\n",
        );
        let found: Vec<_> = lint_objects(objects, LintOptions::default())
            .iter()
            .map(|d| {
                let json = diagnostic_json(d);
                let keys = ["file", "line", "column", "path"].map(|k| json.get(k).is_some());
                (d.code(), json["origin"].to_string(), keys)
            })
            .collect();
        let none = [false; 4];
        assert_eq!(
            found,
            [
                ("MSH1001", "\"VirtualService default/reviews\"".into(), none),
                ("IST0101", "\"VirtualService default/reviews\"".into(), none),
                ("IST0101", "\"VirtualService default/ratings\"".into(), none),
            ]
        );
    }

    /// The codes lint reports on the text, in order.
    fn codes(yaml: &str) -> Vec<&'static str> {
        super::test_support::lint(yaml, crate::snapshot::MeshConfig::default())
            .iter()
            .map(|d| d.code())
            .collect()
    }

    #[test]
    fn an_unknown_field_does_not_hide_a_resource_from_the_analyzers() {
        // As istioctl, which drops fields it does not know and analyzes the
        // rest: the typo is validate's, the missing host the analyzers'.
        let route = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: shop}\nspec:\n  hosts: [shop]\n  http:\n  - route:\n    - destination: {host: shop}\n      weigth: 10\n";
        assert_eq!(codes(route), ["IST0101", "MSH1001"]);
        let policy = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: edge-istio\n  labels: {gateway.networking.k8s.io/gateway-name: edge}\nspec:\n  containers: [{name: istio-proxy, image: istio/proxyv2}]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: edge}\nspec:\n  selector:\n    matchLabels: {gateway.networking.k8s.io/gateway-name: edge}\n  action: DENY\n  rules:\n  - to:\n    - operation:\n      paths: [/admin]\n";
        assert!(codes(policy).contains(&"IST0166"), "{:?}", codes(policy));
    }

    #[test]
    fn a_resource_defined_twice_is_analyzed_once_as_its_last_definition() {
        // As kubectl apply and istioctl leave it: no conflict with a copy of
        // itself (IST0109), and the last definition's hosts.
        let route = |host: &str| {
            format!(
                "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: shop}}\nspec:\n  hosts: [{host}]\n  http:\n  - route:\n    - destination: {{host: {host}}}\n"
            )
        };
        let found = codes(&format!("{}---\n{}", route("a"), route("a")));
        assert_eq!(found, ["MSH0005", "IST0101"], "{found:?}");
        let lint =
            |yaml: &str| super::test_support::lint(yaml, crate::snapshot::MeshConfig::default());
        let unknown_hosts: Vec<String> = lint(&format!("{}---\n{}", route("first"), route("last")))
            .iter()
            .filter(|d| d.code() == "IST0101")
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(unknown_hosts.len(), 1, "{unknown_hosts:?}");
        assert!(unknown_hosts[0].contains("last"), "{unknown_hosts:?}");
    }

    #[test]
    fn a_value_of_the_wrong_type_leaves_the_resource_to_validate() {
        let route = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: shop}\nspec:\n  hosts: [shop]\n  http:\n  - route:\n    - destination: {host: shop}\n      weight: ten\n";
        assert!(!codes(route).contains(&"IST0101"), "{:?}", codes(route));
    }
}
