#!/usr/bin/env bash
# kube-inject throughput and memory: a manifest stream from the corpus
# generator (each service has a Deployment per version, beside its
# Service, DestinationRule, VirtualService, ...) piped through
# `meshctl kube-inject -f -`, at about 1,000 and 10,000 workloads.
# Prints the workloads, documents, wall time and peak RSS of each run;
# peak RSS must not grow with the stream (one document in memory at a time).
# usage: benches/inject.sh [WORKLOADS...]     (MESHCTL=path to time another build)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
meshctl="${MESHCTL:-target/release/meshctl}"
if [ -z "${MESHCTL:-}" ]; then
  cargo build --quiet --release
fi
for workloads in ${sizes[@]}; do
  # About 2.3 Deployments per generated service.
  services=$(( (workloads * 10 + 22) / 23 ))
  dir="target/bench-corpus/inject-$services"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    cargo run --quiet --example gen-corpus -- --services "$services" --out "$dir" --files 1 > /dev/null
    touch "$dir/.complete"
  fi
  stream=$(ls "$dir"/*.yaml)
  deployments=$(grep -c '^kind: Deployment$' "$stream")
  documents=$(grep -c '^---$' "$stream")
  stats=$( { /usr/bin/time -v "$meshctl" kube-inject -f - < "$stream" > /dev/null; } 2>&1 )
  wall=$(grep 'Elapsed (wall clock)' <<< "$stats" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' <<< "$stats" | awk '{print $NF}')
  echo "kube-inject: $deployments workloads in $((documents + 1)) documents ($(du -h "$stream" | cut -f1)): wall $wall, peak RSS ${rss} KiB"
done
