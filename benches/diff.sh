#!/usr/bin/env bash
# `meshctl diff` on two large corpora: the generator's corpus of N services
# (default 20,000) and a copy where 1% of the VirtualServices are edited
# (a label added, and a 90/10 split moved to 50/50 where the service has
# one), then `diff` and `diff --traffic` timed, wall clock.
# Each is run RUNS times (default 3); wall time and peak RSS are printed
# per run, then the median.
# usage: benches/diff.sh [SERVICES] [debug|release]   (default: 20000 release)
#        (MESHCTL=path to time another build, RUNS=count)
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-20000}"
profile="${2:-release}"
flag=$([ "$profile" = release ] && echo --release || true)
old="target/bench-corpus/diff-$services-old"
new="target/bench-corpus/diff-$services-new"
if [ ! -f "$old/.complete" ]; then
  rm -rf "$old"
  cargo run --quiet $flag --example gen-corpus -- --services "$services" --out "$old" >/dev/null
  touch "$old/.complete"
fi
if [ ! -f "$new/.complete" ]; then
  rm -rf "$new" && mkdir -p "$new"
  # Every 100th VirtualService, counted over the files in name order.
  count=0
  for file in "$old"/*.yaml; do
    count=$(awk -v start="$count" -v out="$new/$(basename "$file")" '
      /^kind: VirtualService$/ { n++; edit = (n + start) % 100 == 0; split_90 = 0 }
      /^---$/ { edit = 0 }
      edit && /^  namespace: / { print > out; print "  labels: {bench-edit: \"1\"}" > out; next }
      edit && /^ *weight: 90$/ { sub(/90$/, "50"); split_90 = 1 }
      edit && split_90 && /^ *weight: 10$/ { sub(/10$/, "50"); split_90 = 0 }
      { print > out }
      END { print n + start }' "$file")
  done
  touch "$new/.complete"
fi
bin="${MESHCTL:-target/$profile/meshctl}"
if [ -z "${MESHCTL:-}" ]; then
  cargo build --quiet $flag
fi
runs="${RUNS:-3}"
run() {
  local walls=() stats status out=/tmp/meshctl-bench-diff.out
  for _ in $(seq "$runs"); do
    set +e
    stats=$( { /usr/bin/time -v "$bin" diff "$@" "$old" "$new" >"$out"; } 2>&1 )
    status=$?
    set -e
    wall=$(grep 'Elapsed (wall clock)' <<< "$stats" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' <<< "$stats" | awk '{print $NF}')
    walls+=("$wall")
    printf '%-28s wall %s  peak RSS %s KiB  exit %d  %s\n' "diff $*" "$wall" "$rss" \
      "$status" "$(tail -n 1 "$out")"
  done
  printf '%-28s median wall %s\n' "diff $*" \
    "$(printf '%s\n' "${walls[@]}" | sort | sed -n "$(( (runs + 1) / 2 ))p")"
}
echo "meshctl diff, $services services, $bin, $(nproc) cores"
run --stat
run --traffic --stat
