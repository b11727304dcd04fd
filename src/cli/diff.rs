//! `meshctl diff OLD NEW`: reads both sides with the shared input pipeline
//! (either side with errors stops the run: exit 2, the errors on stderr),
//! runs the diff engine (and with `--traffic`, the traffic diff on a
//! snapshot of each side), and prints the text diff, the `--stat` table or
//! JSON. Exit status as diff(1): 0 the same, 1 different, 2 trouble.
//!
//! `--cluster NEW` reads, with GET requests only, the kinds NEW holds in the
//! namespaces NEW names (cluster-wide MeshConfig by name), and compares that
//! live set with the live set after NEW is applied, as `kubectl diff` does:
//! objects NEW does not name are the same on both sides, so only NEW's own
//! objects can show as added or modified; with `--prune` the new side is
//! NEW alone, so the live objects NEW leaves out show as removed.

use std::collections::BTreeSet;

use super::args::{DiffArgs, InputArgs, TextOrJson};
use super::cluster::{MESH_CONFIG_MAP, cluster_mesh_config, note_not_served, overlaid};
use super::findings::color_wanted;
use super::inputs::Inputs;
use super::outcome::{CliError, Outcome, Status};
use super::output::{Stdout, note};
use crate::cluster::{self, KindRef, ReadRequest, connect};
use crate::diff::traffic::{Scope, TrafficChange, traffic_diff};
use crate::diff::{Change, diff_objects};
use crate::model::{Object, split_api_version};
use crate::report::{diff_json, render_diff_stat, render_diff_text};
use crate::snapshot::{MeshConfig, Snapshot, SnapshotOptions};
use crate::validate::Reusable;

pub fn run(args: &DiffArgs, out: &mut Stdout) -> Outcome {
    let (old, new) = if args.cluster {
        cluster_sides(args)?
    } else {
        let (old_path, new_path) = sides(&args.input)?;
        // OLD first: NEW's documents written as OLD's clean ones are then
        // neither parsed nor checked again (most of a change is unchanged).
        let old = Side::read(&args.input, old_path, args, None)?;
        let earlier = Reusable::new(&old.objects, &old.clean);
        let new = Side::read(&args.input, new_path, args, Some(&earlier))?;
        (old, new)
    };
    let errors: Vec<String> = old.errors.iter().chain(&new.errors).cloned().collect();
    if !errors.is_empty() {
        return Err(CliError::InvalidConfig(errors));
    }
    let changes = diff_objects(&old.objects, &new.objects);
    let traffic = args.traffic.then(|| traffic_of(&changes, old, new, args));
    let traffic = traffic.as_deref();
    let rendered = match (args.output, args.stat) {
        (TextOrJson::Json, _) => {
            let json = diff_json(&changes, traffic);
            let mut text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
            text.push('\n');
            text
        }
        (TextOrJson::Text, true) => render_diff_stat(&changes, traffic),
        (TextOrJson::Text, false) => render_diff_text(&changes, traffic, color_wanted(args.color)),
    };
    out.write_str(&rendered);
    Ok(
        if changes.is_empty() && traffic.is_none_or(<[_]>::is_empty) {
            Status::Clean
        } else {
            Status::Findings
        },
    )
}

/// The request classes whose outcome changed, simulated on a snapshot of
/// each side, for the hosts the resource changes reach.
fn traffic_of(changes: &[Change], old: Side, new: Side, args: &DiffArgs) -> Vec<TrafficChange> {
    let domain = args.cluster_domain.trim_matches('.').to_ascii_lowercase();
    let root_namespace = new.mesh.root_namespace.clone();
    let scope = Scope::of(changes, &domain, &root_namespace);
    let snapshot = |side: Side| {
        Snapshot::new(
            side.objects,
            SnapshotOptions {
                cluster_domain: domain.clone(),
                ..SnapshotOptions::new(side.mesh)
            },
        )
    };
    let (old, new) = rayon::join(|| snapshot(old), || snapshot(new));
    traffic_diff(&old, &new, &scope, &root_namespace)
}

/// OLD and NEW: exactly two paths, and stdin for one of them at most.
fn sides(input: &InputArgs) -> Result<(String, String), CliError> {
    let paths = input.all_paths();
    let [old, new] = paths.as_slice() else {
        return Err(format!(
            "diff compares two configurations, OLD and NEW; {} path(s) given",
            paths.len()
        )
        .into());
    };
    if old == "-" && new == "-" {
        return Err("stdin (-) can be one side only".into());
    }
    Ok((old.clone(), new.clone()))
}

/// The live side and NEW's side of `diff --cluster NEW`.
fn cluster_sides(args: &DiffArgs) -> Result<(Side, Side), CliError> {
    let paths = args.input.all_paths();
    let [path] = paths.as_slice() else {
        return Err(format!(
            "diff --cluster compares one configuration, NEW, with the cluster; {} path(s) given",
            paths.len()
        )
        .into());
    };
    let mut new = Side::read(&args.input, path.clone(), args, None)?;
    let kinds = readable_kinds(&mut new.objects);
    let namespaces: BTreeSet<String> = new
        .objects
        .iter()
        .filter_map(|o| o.namespace.clone())
        .collect();
    let cluster = connect(&args.cluster_access.options()).map_err(|e| e.to_string())?;
    let own_mesh_config = args.mesh.mesh_config.is_none();
    let root = new.mesh.root_namespace.clone();
    let request = ReadRequest {
        kinds,
        config_maps: if own_mesh_config {
            vec![(root.clone(), MESH_CONFIG_MAP.to_string())]
        } else {
            Vec::new()
        },
        scope: cluster::Scope::Namespaces(namespaces.into_iter().collect()),
    };
    let read = cluster.read(&request).map_err(|e| e.to_string())?;
    if let Some(gap) = read.gaps.first() {
        // A list we may not read would make NEW's objects look added.
        return Err(format!(
            "cannot compare with the cluster: {} {}{} is refused ({}; {})",
            gap.verb,
            gap.resource,
            gap.namespace
                .as_deref()
                .map(|ns| format!(" in namespace {ns}"))
                .unwrap_or_default(),
            gap.message,
            cluster.context()
        )
        .into());
    }
    note_not_served(&read);
    let mesh = if own_mesh_config {
        cluster_mesh_config(&read, &root)?
    } else {
        new.mesh.clone()
    };
    let live: Vec<Object> = read
        .objects
        .into_iter()
        .filter(|o| !(own_mesh_config && o.kind == "ConfigMap" && o.name == MESH_CONFIG_MAP))
        .collect();
    let applied = if args.prune {
        std::mem::take(&mut new.objects)
    } else {
        let mut applied = overlaid(live.clone(), &new.objects);
        applied.append(&mut new.objects);
        applied
    };
    let old = Side {
        objects: live,
        errors: Vec::new(),
        mesh: mesh.clone(),
        clean: Vec::new(),
    };
    Ok((
        old,
        Side {
            objects: applied,
            errors: new.errors,
            mesh,
            clean: Vec::new(),
        },
    ))
}

/// The kinds of NEW's objects that can be read from a cluster; objects of
/// other kinds (custom resources meshctl does not know, and Secrets, whose
/// data diff must not read) are left out of the comparison, with a note.
fn readable_kinds(objects: &mut Vec<Object>) -> Vec<KindRef> {
    let mut kinds = BTreeSet::new();
    let mut left_out = BTreeSet::new();
    objects.retain(|o| {
        let group = split_api_version(&o.api_version).0;
        let readable = KindRef::all_named(&o.kind)
            .into_iter()
            .find(|k| k.group == group && k.kind != "Secret");
        match readable {
            Some(kind) => {
                kinds.insert(kind);
                true
            }
            None => {
                left_out.insert(format!(
                    "{} ({})",
                    o.kind,
                    if group.is_empty() { "core" } else { group }
                ));
                false
            }
        }
    });
    if !left_out.is_empty() {
        note(&format!(
            "not compared with the cluster (kinds diff --cluster does not read): {}",
            left_out.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    kinds.into_iter().collect()
}

/// One side's objects, its errors, its MeshConfig, and the ranges of its
/// objects read from documents without a finding.
struct Side {
    objects: Vec<Object>,
    errors: Vec<String>,
    mesh: MeshConfig,
    clean: Vec<std::ops::Range<usize>>,
}

impl Side {
    fn read(
        input: &InputArgs,
        path: String,
        args: &DiffArgs,
        earlier: Option<&Reusable>,
    ) -> Result<Side, CliError> {
        let one = InputArgs {
            paths: vec![path],
            filenames: Vec::new(),
            ..input.clone()
        };
        let inputs = Inputs::gather(&one)?.with_mesh(&args.mesh)?;
        let mut loaded = inputs.load_reusing(earlier)?;
        let errors = inputs.errors(&mut loaded);
        Ok(Side {
            objects: loaded.objects,
            errors,
            mesh: inputs.mesh,
            clean: loaded.clean,
        })
    }
}
