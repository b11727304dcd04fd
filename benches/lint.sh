#!/usr/bin/env bash
# Lint's growth with corpus size: generates corpora of 1,000, 10,000 and
# 50,000 services (deterministic) and times the lint stage on each.
# usage: benches/lint.sh [SERVICES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000 50000}")
for services in ${sizes[@]}; do
  dir="target/bench-corpus/$services"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    cargo run --quiet --release --example gen-corpus -- --services "$services" --out "$dir"
    touch "$dir/.complete"
  fi
  cargo bench --quiet --bench pipeline -- "$dir" --only lint
done
