//! Speed of `meshctl simulate`, two figures:
//!
//! 1. `--count 1000000` through a 6-route VirtualService whose last route
//!    splits three ways (the route decision is made once; only Envoy's
//!    random choices are repeated);
//! 2. one request against the generated corpus, phase by phase: load
//!    (read, parse, model, validate), snapshot, index, route. Routing must
//!    be a small part of the whole.
//!
//! `cargo bench --bench simulate -- [CORPUS_DIR]` (default
//! target/bench-corpus/20000; generate it with
//! `cargo run --release --example gen-corpus -- --services 20000 --out target/bench-corpus/20000`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use meshctl::loader::{Input, Limits, LoadedFile, SourceFile, parse_documents};
use meshctl::model::read_file;
use meshctl::simulate::{Index, Options, Request, simulate, simulate_indexed};
use meshctl::snapshot::{Snapshot, SnapshotOptions};
use meshctl::validate::{ValidateOptions, validate_inputs};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIX_ROUTES: &str = "\
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - match: [{uri: {prefix: /admin}}]
    route: [{destination: {host: reviews, subset: v3}}]
  - match: [{uri: {regex: '/v[0-9]+/debug'}}]
    route: [{destination: {host: reviews, subset: v1}}]
  - match: [{queryParams: {canary: {exact: 'true'}}}]
    route: [{destination: {host: reviews, subset: v3}}]
  - match: [{method: {exact: DELETE}}]
    route: [{destination: {host: reviews, subset: v1}}]
  - fault:
      abort: {httpStatus: 503, percentage: {value: 1}}
    route:
    - {destination: {host: reviews, subset: v1}, weight: 60}
    - {destination: {host: reviews, subset: v2}, weight: 30}
    - {destination: {host: reviews, subset: v3}, weight: 10}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
";

fn best_of<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = std::hint::black_box(work());
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn weighted_draws() {
    let source = SourceFile::new("six-routes.yaml", SIX_ROUTES.to_string());
    let documents = parse_documents(&source, &Limits::default());
    let objects = read_file(LoadedFile { source, documents }, "default").objects;
    let snapshot = Snapshot::new(objects, SnapshotOptions::default());
    let request = Request::parse("GET http://reviews:9080/").unwrap();
    let options = Options {
        count: Some(1_000_000),
        ..Options::default()
    };
    let (time, sim) = best_of(3, || simulate(&snapshot, &request, &options).unwrap());
    println!(
        "--count 1000000, 6-route VirtualService: {:.3} s (best of 3); counts {}",
        time.as_secs_f64(),
        serde_json::to_string(&sim.counts).unwrap()
    );
    assert!(
        time < Duration::from_secs(1),
        "1M draws must take under 1 s"
    );
}

fn corpus_request(dir: &PathBuf) {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            println!(
                "corpus {}: {e}; generate it first (see the header of this file)",
                dir.display()
            );
            return;
        }
    };
    paths.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    let inputs: Vec<Input> = paths.into_iter().map(Input::File).collect();
    let options = ValidateOptions {
        default_namespace: "default".into(),
        keep_models: true,
        let_go_texts: false,
        custom_kinds: Default::default(),
    };
    let start = Instant::now();
    let validated = validate_inputs(&inputs, &Limits::default(), &options).unwrap();
    let load = start.elapsed();
    let objects: Vec<_> = validated
        .models
        .into_iter()
        .flat_map(|m| m.objects)
        .collect();
    let resources = objects.len();
    let start = Instant::now();
    let snapshot = Snapshot::new(objects, SnapshotOptions::default());
    let snap = start.elapsed();
    let start = Instant::now();
    let index = Index::new(&snapshot);
    let indexing = start.elapsed();
    let request = Request::parse("GET http://entitlement.accounts:9090/").unwrap();
    let (route, sim) = best_of(5, || {
        simulate_indexed(&index, &request, &Options::default()).unwrap()
    });
    assert!(sim.matched, "the corpus request should match a route");
    let total = load + snap + indexing + route;
    let pct = |d: Duration| d.as_secs_f64() / total.as_secs_f64() * 100.0;
    println!(
        "one request against {} ({resources} resources):",
        dir.display()
    );
    println!(
        "  load (read, parse, model, validate) {:>9.3} s  {:>5.1}%",
        load.as_secs_f64(),
        pct(load)
    );
    println!(
        "  snapshot                            {:>9.3} s  {:>5.1}%",
        snap.as_secs_f64(),
        pct(snap)
    );
    println!(
        "  index (simulate)                    {:>9.3} s  {:>5.1}%",
        indexing.as_secs_f64(),
        pct(indexing)
    );
    println!(
        "  route + policy + authorization      {:>9.6} s  {:>5.1}%",
        route.as_secs_f64(),
        pct(route)
    );
    println!(
        "  -> {} {} via {}",
        sim.request,
        sim.destinations
            .iter()
            .map(|d| format!("{}/{}", d.host, d.subset.as_deref().unwrap_or("-")))
            .collect::<Vec<_>>()
            .join(", "),
        sim.virtual_service.unwrap_or_default()
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let dir = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/bench-corpus/20000"));
    weighted_draws();
    corpus_request(&dir);
}
