//! Throughput of meshctl's pipeline on a generated corpus, stage by stage,
//! next to the serde YAML crates it was chosen over.
//!
//! `benches/run.sh` generates the corpus and runs this; by hand:
//! `cargo bench --bench pipeline -- DIR [--only validate]`; `benches/lint.sh`
//! runs the lint stage at several corpus sizes.
//! Each stage runs on the same in-memory text, best of 3, on one thread
//! unless its name says otherwise.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use meshctl::analyze::{LintOptions, lint};
use meshctl::loader::{Input, Limits, load_file};
use meshctl::report::Level;
use meshctl::validate::{ValidateOptions, validate_inputs};
use rayon::prelude::*;
use saphyr_parser::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Corpus {
    files: Vec<(String, String)>,
    inputs: Vec<Input>,
    bytes: usize,
}

fn read_corpus(dir: &Path) -> Corpus {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let bytes = files.iter().map(|(_, t)| t.len()).sum();
    let inputs = paths.into_iter().map(Input::File).collect();
    Corpus {
        files,
        inputs,
        bytes,
    }
}

/// Best of `runs` timings of `work`, which returns a count to print.
fn best_of(runs: usize, mut work: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut count = 0;
    for _ in 0..runs {
        let start = Instant::now();
        count = std::hint::black_box(work());
        best = best.min(start.elapsed());
    }
    (best, count)
}

/// Parse-only: every file read and parsed into spanned trees, then dropped
/// (as `meshctl validate` drops each file once checked).
fn spanned_tree(corpus: &Corpus) -> usize {
    corpus
        .inputs
        .par_iter()
        .map(|input| {
            load_file(input, &Limits::default())
                .unwrap()
                .documents
                .len()
        })
        .sum()
}

/// `meshctl validate` without rendering: read, parse, model, schema check.
fn meshctl_validate(corpus: &Corpus) -> usize {
    let options = ValidateOptions {
        default_namespace: "default".into(),
        keep_models: false,
        let_go_texts: false,
        custom_kinds: Default::default(),
    };
    let validated = validate_inputs(&corpus.inputs, &Limits::default(), &options).unwrap();
    // A clean corpus draws no errors (Istio's own warnings may appear).
    let error = validated
        .diagnostics
        .iter()
        .find(|d| d.level == Level::Error);
    assert!(
        error.is_none(),
        "the corpus should have no errors: {error:?}"
    );
    validated.stats.resources
}

/// `meshctl lint` without rendering: validate keeping the models, then the
/// snapshot and every analyzer.
fn meshctl_lint(corpus: &Corpus) -> usize {
    let options = ValidateOptions {
        default_namespace: "default".into(),
        keep_models: true,
        let_go_texts: false,
        custom_kinds: Default::default(),
    };
    let validated = validate_inputs(&corpus.inputs, &Limits::default(), &options).unwrap();
    let objects = validated
        .models
        .into_iter()
        .flat_map(|m| m.objects)
        .collect();
    let found = lint(objects, validated.diagnostics, LintOptions::default());
    std::hint::black_box(found.len());
    validated.stats.resources
}

fn saphyr_events(corpus: &Corpus) -> usize {
    corpus
        .files
        .iter()
        .map(|(_, text)| Parser::new_from_str(text).filter_map(Result::ok).count())
        .sum()
}

fn yaml_serde_json(corpus: &Corpus) -> usize {
    use serde::Deserialize;
    corpus
        .files
        .iter()
        .map(|(_, text)| {
            yaml_serde::Deserializer::from_str(text)
                .map(|doc| serde_json::Value::deserialize(doc).map(|_| 1).unwrap_or(0))
                .sum::<usize>()
        })
        .sum()
}

fn serde_saphyr_json(corpus: &Corpus) -> usize {
    // Its default budget stops at 1,024 documents a stream; lift it, to
    // measure speed alone.
    let mut options = serde_saphyr::Options::default();
    options.budget = None;
    corpus
        .files
        .iter()
        .map(|(_, text)| {
            serde_saphyr::from_multiple_with_options::<serde_json::Value>(text, options.clone())
                .map_or(0, |d| d.len())
        })
        .sum()
}

/// A measured stage: runs over the corpus and returns what it counted.
type Stage<'a> = Box<dyn Fn(&Corpus) -> usize + 'a>;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let dir = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench-corpus/20000"));
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let corpus = read_corpus(&dir);
    let mb = corpus.bytes as f64 / 1e6;
    println!(
        "corpus {}: {} files, {mb:.1} MB",
        dir.display(),
        corpus.files.len()
    );
    println!(
        "{:<44} {:>9} {:>9} {:>12} {:>12}",
        "stage", "seconds", "MB/s", "count", "count/s"
    );

    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let stages: Vec<(&str, Stage)> = vec![
        ("saphyr-parser events (1 thread)", Box::new(saphyr_events)),
        (
            "meshctl parse to spanned trees (1 thread)",
            Box::new(|c: &Corpus| one_thread.install(|| spanned_tree(c))),
        ),
        (
            "meshctl parse to spanned trees (all cores)",
            Box::new(spanned_tree),
        ),
        (
            "meshctl validate (1 thread)",
            Box::new(|c: &Corpus| one_thread.install(|| meshctl_validate(c))),
        ),
        ("meshctl validate (all cores)", Box::new(meshctl_validate)),
        ("meshctl lint (all cores)", Box::new(meshctl_lint)),
        ("yaml_serde -> serde_json::Value", Box::new(yaml_serde_json)),
        (
            "serde-saphyr -> serde_json::Value",
            Box::new(serde_saphyr_json),
        ),
    ];
    for (name, stage) in &stages {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let (time, count) = best_of(3, || stage(&corpus));
        let seconds = time.as_secs_f64();
        println!(
            "{name:<44} {seconds:>9.3} {:>9.1} {count:>12} {:>12.0}",
            mb / seconds,
            count as f64 / seconds
        );
    }
}
