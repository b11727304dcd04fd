#!/usr/bin/env bash
# validate's resources per second on two corpora of one mesh: routing with
# VirtualServices and Istio Gateways (the generator's default), and with
# Gateway API HTTPRoutes and Gateways (`gen-corpus --routes gateway-api`).
# Each is validated RUNS times as a whole process (wall clock); the median
# run gives the rate. The Gateway API corpus holds more documents for the
# same mesh (per-version Services stand for subsets, exposed services get an
# ingress HTTPRoute), so seconds per corpus are printed as well.
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

# Prints "SECONDS RESOURCES" for the median of the runs.
measure() {
  local dir="$1" start end resources
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    # Findings (the corpus has warnings) must not stop the script.
    "$bin" validate --fail-on none "$dir" >/tmp/meshctl-bench-routes.out 2>&1 || true
    end=$(date +%s.%N)
    resources=$(grep -o 'in [0-9]* resources' /tmp/meshctl-bench-routes.out | tr -dc 0-9)
    echo "$(echo "$end - $start" | bc) $resources"
  done | sort -n | awk -v mid=$(((runs + 1) / 2)) 'NR == mid'
}

echo "meshctl validate, $services services, $runs runs each, $profile build, $(nproc) cores"
declare -A rate
for routes in istio gateway-api; do
  read -r seconds resources <<<"$(measure "$(corpus "$routes")")"
  rate[$routes]=$(echo "$resources / $seconds" | bc)
  printf '%-12s %7d resources  %6.2f s (median)  %8d resources/s\n' \
    "$routes" "$resources" "$seconds" "${rate[$routes]}"
done
echo "gateway-api / istio: $(echo "scale=3; ${rate[gateway-api]} / ${rate[istio]}" | bc)"
