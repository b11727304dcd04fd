#!/usr/bin/env bash
# What reading EnvoyFilter patch values against Envoy's types costs: one
# EnvoyFilter of ROUTES routes (a VIRTUAL_HOST patch), validated RUNS times
# as a whole process, beside the same file with REMOVE patches (no value, so
# the Envoy API table is never parsed) and a one-patch file (the table's
# parse plus a tiny walk). Median wall time of each.
# usage: benches/envoy_filter.sh [ROUTES] [RUNS] [debug|release]   (default: 20000 5 debug)
set -euo pipefail
cd "$(dirname "$0")/.."
routes="${1:-20000}"
runs="${2:-5}"
profile="${3:-debug}"
flag=$([ "$profile" = release ] && echo --release || true)
cargo build --quiet $flag --bin meshctl
bin="target/$profile/meshctl"
dir=target/bench-envoy-filter
mkdir -p "$dir"

preamble() {
  printf 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: %s, namespace: shop}\nspec:\n  configPatches:\n' "$1"
}
{
  preamble big
  printf '  - applyTo: VIRTUAL_HOST\n    patch:\n      operation: ADD\n      value:\n        name: big\n        domains: ["*"]\n        routes:\n'
  for i in $(seq "$routes"); do
    printf '        - {match: {prefix: /p%d, headers: [{name: x-id, string_match: {exact: v%d}}]}, route: {cluster: c%d, timeout: %ds, retry_policy: {num_retries: 2}}}\n' "$i" "$i" "$i" $((i % 60 + 1))
  done
} >"$dir/values.yaml"
{ preamble removes; printf '  - applyTo: CLUSTER\n    patch: {operation: REMOVE}\n'; } >"$dir/remove.yaml"
{ preamble one; printf '  - applyTo: CLUSTER\n    patch: {operation: MERGE, value: {connect_timeout: 1s}}\n'; } >"$dir/one.yaml"

median() {
  local TIMEFORMAT='%R' times
  times=$(for _ in $(seq "$runs"); do { time "$bin" validate "$1" >/dev/null 2>&1 || true; } 2>&1; done)
  echo "$times" | sort -n | sed -n "$(((runs + 1) / 2))p"
}
echo "no patch value (table never parsed): $(median "$dir/remove.yaml") s"
echo "one small patch value (table parsed): $(median "$dir/one.yaml") s"
echo "$routes routes in one patch value:    $(median "$dir/values.yaml") s ($(wc -c <"$dir/values.yaml") bytes)"
