#!/usr/bin/env bash
# Generates the benchmark corpus (deterministic) and runs the pipeline bench.
# usage: benches/run.sh [SERVICES]   (default 18000 services, about 100k resources)
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-18000}"
dir="target/bench-corpus/$services"
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir"
  cargo run --quiet --release --example gen-corpus -- --services "$services" --out "$dir"
  touch "$dir/.complete"
fi
cargo bench --quiet --bench pipeline -- "$dir"
