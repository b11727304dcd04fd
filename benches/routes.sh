#!/usr/bin/env bash
# validate's resources per second on two corpora of one mesh: routing with
# VirtualServices and Istio Gateways (the generator's default), and with
# Gateway API HTTPRoutes and Gateways (`gen-corpus --routes gateway-api`).
# Each is validated RUNS times as a whole process; the median run gives the
# rate, by wall clock and by CPU time. The Gateway API corpus holds more documents for the
# same mesh (per-version Services stand for subsets, exposed services get an
# ingress HTTPRoute), many of them cheap to check; the route documents alone
# are therefore measured as well, and that ratio is the one that matters.
# usage: benches/routes.sh [SERVICES] [RUNS] [debug|release]   (default: 10000 3 release)
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-10000}"
runs="${2:-3}"
profile="${3:-release}"
flag=$([ "$profile" = release ] && echo --release || true)
cargo build --quiet $flag --bin meshctl --example gen-corpus
bin="target/$profile/meshctl"

corpus() {
  local routes="$1" dir="target/bench-corpus/routes-$services-$1"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "target/$profile/examples/gen-corpus" --services "$services" --out "$dir" \
      --routes "$routes" >/dev/null
    touch "$dir/.complete"
  fi
  echo "$dir"
}

# Sets `seconds` (the median wall time of the runs), `cpu` (the median user
# plus system time: steadier than wall time on a shared machine) and
# `resources` for one corpus.
measure() {
  local dir="$1" out=/tmp/meshctl-bench-routes.out times=/tmp/meshctl-bench-routes.times
  local TIMEFORMAT='%R %U %S'
  : >"$times"
  for _ in $(seq "$runs"); do
    # Findings (the corpus has warnings) must not stop the script.
    { time "$bin" validate --fail-on none "$dir" >"$out" 2>&1 || true; } 2>>"$times"
  done
  # A clean corpus must stay clean: an error would be a generator bug.
  if grep -qE '^[1-9][0-9]* errors?' "$out"; then
    echo "$dir: validate found errors; see $out" >&2
    exit 1
  fi
  resources=$(grep -o 'in [0-9]* resources' "$out" | tr -dc 0-9)
  local middle=$(((runs + 1) / 2))
  seconds=$(awk '{ print $1 }' "$times" | sort -n | sed -n "${middle}p")
  cpu=$(awk '{ print $2 + $3 }' "$times" | sort -n | sed -n "${middle}p")
}

# The route documents of a corpus alone (VirtualService or HTTPRoute), in
# one folder beside it: the kinds the two corpora differ in, compared
# without the Services, Deployments and policies they share.
routes_only() {
  local dir="$1" only="$1-routes-only"
  if [ ! -f "$only/.complete" ]; then
    rm -rf "$only" && mkdir -p "$only"
    awk 'BEGIN { RS = "\n---\n" } /(^|\n)kind: (VirtualService|HTTPRoute)\n/ { print "---\n" $0 }' \
      "$dir"/*.yaml >"$only/routes.yaml"
    touch "$only/.complete"
  fi
  echo "$only"
}

echo "meshctl validate, $services services, $runs runs each, $profile build, $(nproc) cores"
declare -A rate cpu_rate
for routes in istio gateway-api; do
  dir=$(corpus "$routes")
  for set in whole routes-only; do
    [ "$set" = routes-only ] && dir=$(routes_only "$dir")
    measure "$dir"
    rate[$routes-$set]=$(echo "$resources / $seconds" | bc)
    cpu_rate[$routes-$set]=$(echo "$resources / $cpu" | bc)
    printf '%-12s %-12s %6d resources  wall %6.2f s %7d/s  cpu %6.2f s %7d/s\n' \
      "$routes" "$set" "$resources" "$seconds" "${rate[$routes-$set]}" "$cpu" \
      "${cpu_rate[$routes-$set]}"
  done
done
for set in whole routes-only; do
  printf 'gateway-api / istio resources/s (%s): wall %s, cpu %s\n' "$set" \
    "$(echo "scale=3; ${rate[gateway-api-$set]} / ${rate[istio-$set]}" | bc)" \
    "$(echo "scale=3; ${cpu_rate[gateway-api-$set]} / ${cpu_rate[istio-$set]}" | bc)"
done
