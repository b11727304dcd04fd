#!/usr/bin/env bash
# `meshctl diff` on two large corpora: the generator's corpus of N services
# (default 20,000) and a copy where 1% of the VirtualServices are edited
# (a label added, and a 90/10 split moved to 50/50 where the service has
# one), then `diff` and `diff --traffic` timed, wall clock.
# usage: benches/diff.sh [SERVICES] [debug|release]   (default: 20000 release)
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
cargo build --quiet $flag
bin="target/$profile/meshctl"
run() {
  local start end status
  start=$(date +%s.%N)
  set +e
  "$bin" diff "$@" "$old" "$new" >/tmp/meshctl-bench-diff.out
  status=$?
  set -e
  end=$(date +%s.%N)
  printf '%-28s %6.2f s  exit %d  %s\n' "diff $*" "$(echo "$end - $start" | bc)" "$status" \
    "$(tail -n 1 /tmp/meshctl-bench-diff.out)"
}
echo "meshctl diff, $services services, $profile build, $(nproc) cores"
run --stat
run --traffic --stat
