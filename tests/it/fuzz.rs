//! A mutation fuzzer for the whole lint path (loader, model, validate,
//! snapshot, analyzers), run by `cargo test` for a bounded number of
//! inputs. It starts from every YAML file under `testdata/` and mutates
//! them (byte flips, cuts, repeats, YAML punctuation, splices of two files),
//! which reaches much deeper than random bytes: most mutants still parse.
//!
//! Deterministic (a fixed seed), so a failure reproduces. More inputs:
//! `MESHCTL_FUZZ_ITERATIONS=200000 cargo test --release --test it fuzz`.
//! A failing input is written to `target/fuzz-failures/`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use meshctl::analyze::{LintOptions, lint_loaded};
use meshctl::loader::{Limits, LoadedFile, SourceFile, parse_documents};

const DEFAULT_ITERATIONS: usize = 3000;

/// Fragments that steer mutants into YAML's and the checks' corners.
const TOKENS: &[&str] = &[
    "\n---\n",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!str ",
    "<<: *a\n",
    "'",
    "\"",
    "|\n",
    "\n  ",
    "#",
    "~",
    "null",
    "0x1F",
    "1e999",
    "-1",
    "*",
    "/",
    "\u{0}",
    "\u{feff}",
    "é",
    "spec:\n",
    "hosts: [\"*\"]\n",
    "weight: 101\n",
    "subset: v9\n",
    "selector: {}\n",
    "apiVersion: v1\nkind: Pod\n",
    "kind: List\nitems:\n- ",
];

/// SplitMix64: small, fast and good enough to drive mutations.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<Vec<u8>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"),
        &mut paths,
    );
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        // The bounds tests' giant inputs would only slow the loop down.
        .filter(|bytes| bytes.len() < 64 * 1024)
        .collect()
}

/// One mutant of a seed: a few byte flips, cuts, repeats, YAML tokens and
/// splices of another seed.
pub fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        let at = rng.below(len + 1);
        match rng.below(6) {
            0 if len > 0 => data[at.min(len - 1)] ^= 1 << rng.below(8),
            1 => {
                let end = (at + rng.below(64)).min(len);
                data.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(128)).min(len);
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
            3 | 4 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            _ => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                let end = (from + rng.below(512)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
        }
    }
    data
}

/// Lint one input as `meshctl lint` would; every finding must be located
/// inside the text when it has a location.
fn lint_bytes(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    // YAML breaks lines at CR, LF and CRLF: a lone CR starts a line too.
    let lone_crs = text.matches('\r').count() - text.matches("\r\n").count();
    let lines = (text.lines().count() + lone_crs) as u32 + 1;
    let source = SourceFile::new("fuzz.yaml", text);
    let limits = Limits {
        max_document_bytes: 256 * 1024,
        ..Limits::default()
    };
    let documents = parse_documents(&source, &limits);
    let loaded = vec![LoadedFile { source, documents }];
    for finding in lint_loaded(loaded, "default", LintOptions::default()) {
        if let Some(location) = finding
            .location
            .as_ref()
            .filter(|l| l.source.name == "fuzz.yaml")
        {
            assert!(
                (1..=lines).contains(&location.pos.line),
                "{} at line {} of {lines}",
                finding.rule.code,
                location.pos.line
            );
        }
    }
}

#[test]
fn lint_never_panics_on_mutated_inputs() {
    let seeds = seeds();
    assert!(seeds.len() > 20, "the seed corpus is testdata/");
    let iterations = std::env::var("MESHCTL_FUZZ_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_ITERATIONS);
    let mut rng = Rng(0x6d65_7368_6374_6c21);
    for i in 0..iterations {
        let input = mutate(&mut rng, &seeds);
        if catch_unwind(AssertUnwindSafe(|| lint_bytes(&input))).is_err() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("input-{i}.yaml"));
            std::fs::write(&path, &input).unwrap();
            panic!("input {i} made lint fail; it is in {}", path.display());
        }
    }
}
