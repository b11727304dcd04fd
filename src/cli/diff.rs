//! `meshctl diff OLD NEW`: reads both sides with the shared input pipeline
//! (either side with errors stops the run: exit 2, the errors on stderr),
//! runs the diff engine (and with `--traffic`, the traffic diff on a
//! snapshot of each side), and prints the text diff, the `--stat` table or
//! JSON. Exit status as diff(1): 0 the same, 1 different, 2 trouble.
//! `--cluster` waits for the Kubernetes client of `meshctl analyze`.

use super::args::{DiffArgs, InputArgs, TextOrJson};
use super::findings::color_wanted;
use super::inputs::Inputs;
use super::outcome::{CliError, Outcome, Status};
use super::output::Stdout;
use crate::diff::traffic::{Scope, TrafficChange, traffic_diff};
use crate::diff::{Change, diff_objects};
use crate::model::Object;
use crate::report::{diff_json, render_diff_stat, render_diff_text};
use crate::snapshot::{MeshConfig, Snapshot, SnapshotOptions};

pub fn run(args: &DiffArgs, out: &mut Stdout) -> Outcome {
    if args.cluster {
        return Err(CliError::CannotRun(
            "--cluster needs the Kubernetes client of `meshctl analyze`, which is not in this build"
                .into(),
        ));
    }
    let (old_path, new_path) = sides(&args.input)?;
    let old = Side::read(&args.input, old_path, args)?;
    let new = Side::read(&args.input, new_path, args)?;
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

/// One side's objects, its errors, and its MeshConfig.
struct Side {
    objects: Vec<Object>,
    errors: Vec<String>,
    mesh: MeshConfig,
}

impl Side {
    fn read(input: &InputArgs, path: String, args: &DiffArgs) -> Result<Side, CliError> {
        let one = InputArgs {
            paths: vec![path],
            filenames: Vec::new(),
            ..input.clone()
        };
        let inputs = Inputs::gather(&one)?.with_mesh(&args.mesh)?;
        let mut loaded = inputs.load()?;
        let errors = inputs.errors(&mut loaded);
        Ok(Side {
            objects: loaded.objects,
            errors,
            mesh: inputs.mesh,
        })
    }
}
