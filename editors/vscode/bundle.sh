#!/usr/bin/env bash
# Put the server and its dependencies into bundled/ so the .vsix needs only a Python 3.10+.
# The dependencies are the versions of uv.lock, checked against its hashes, so a .vsix built from
# one commit holds the same packages wherever and whenever it is built (`make vsix` runs this).
# Usage: UV=<uv> PYTHON=<python3.10+> bash bundle.sh [PLATFORM]   (PLATFORM: linux-x64, the default)
set -euo pipefail
cd "$(dirname "$0")"
UV=${UV:-uv}
PYTHON=${PYTHON:-python3}
PLATFORM=${1:-linux-x64}
ROOT=$(cd ../.. && pwd)
# uv's target platform for the compiled wheels: every target VS Code publishes for but `web`
# (no Python there). Where PyYAML has no wheel (linux-armhf) the .vsix carries the pure-Python
# parser only: the same results, the front matter parsed about 6 times slower (0.27 ms instead
# of 0.05 ms; a whole analysis 0.7 ms instead of 0.4 ms per file on the shared corpus).
case "$PLATFORM" in
  linux-x64) UV_PLATFORM=x86_64-manylinux_2_28 ;;
  linux-arm64) UV_PLATFORM=aarch64-manylinux_2_28 ;;
  linux-armhf) UV_PLATFORM= ;;   # neither PyYAML nor uv has armv7 wheels/platform: pure only
  alpine-x64) UV_PLATFORM=x86_64-unknown-linux-musl ;;
  alpine-arm64) UV_PLATFORM=aarch64-unknown-linux-musl ;;
  darwin-x64) UV_PLATFORM=x86_64-apple-darwin; export MACOSX_DEPLOYMENT_TARGET=10.15 ;;
  darwin-arm64) UV_PLATFORM=aarch64-apple-darwin; export MACOSX_DEPLOYMENT_TARGET=11.0 ;;
  win32-x64) UV_PLATFORM=x86_64-pc-windows-msvc ;;
  win32-arm64) UV_PLATFORM=aarch64-pc-windows-msvc ;;
  *) echo "unknown platform $PLATFORM" >&2; exit 2 ;;
esac
rm -rf bundled/libs bundled/native
mkdir -p bundled/libs bundled/native
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# the pure-Python part is the same on every platform (no locked dependency has a platform
# marker): taken from the linux-x64 wheels, so that a platform whose PyYAML wheels start later
# than Python 3.10 (win32-arm64) or do not exist (linux-armhf) gets it too
WHEELS=("$UV" pip install --quiet --python "$PYTHON" --no-deps --require-hashes --only-binary :all:)
INSTALL=("${WHEELS[@]}" --python-platform x86_64-manylinux_2_28)

# The server's locked runtime dependencies with their hashes, less pydantic (only `agentls
# schema` uses it) and rapidfuzz (compiled; suggestions fall back to difflib)
"$UV" export --quiet --project "$ROOT" --locked --no-emit-project --no-dev \
  --prune pydantic --prune rapidfuzz --format requirements-txt --no-header --no-annotate \
  -o "$TMP/locked.txt"
# one requirement is a line `name==version [; marker] \` followed by its `--hash` lines
awk '/^[^ ]/ { keep = !/^pyyaml==/ } keep' "$TMP/locked.txt" > "$TMP/pure.txt"
awk '/^[^ ]/ { keep = /^pyyaml==/ } keep' "$TMP/locked.txt" > "$TMP/pyyaml.txt"
grep -q '^pyyaml==' "$TMP/pyyaml.txt" || { echo "bundle.sh: no pyyaml in uv.lock" >&2; exit 1; }

# agentls itself, as a wheel of this checkout
"$UV" build --quiet --python "$PYTHON" --wheel --out-dir "$TMP/dist" "$ROOT"
"$UV" pip install --quiet --python "$PYTHON" --no-deps --target bundled/libs "$TMP"/dist/agentls-*.whl
# pure-Python dependencies, for the oldest supported Python (3.10) so that its backports
# (exceptiongroup) are included
"${INSTALL[@]}" --python-version 3.10 --target bundled/libs -r "$TMP/pure.txt"
# PyYAML without its C extension (pure Python works everywhere; the native one is below): the
# Python files of the locked wheel
"${INSTALL[@]}" --python-version 3.10 --target bundled/libs -r "$TMP/pyyaml.txt"
find bundled/libs \( -name '_yaml*.so' -o -name '_yaml*.pyd' \) -delete
find bundled/libs -name '__pycache__' -type d -prune -exec rm -rf {} +
rm -rf bundled/libs/bin
# records of this build only (a temporary path, a timestamp, the scripts removed above)
rm -f bundled/libs/agentls-*.dist-info/{direct_url,uv_cache}.json
"$PYTHON" - <<'PY'
import glob, re
for record in glob.glob("bundled/libs/*.dist-info/RECORD"):
    with open(record) as f:
        lines = f.readlines()
    with open(record, "w") as f:
        f.writelines(l for l in lines if not re.match(r"bin/|.*/(direct_url|uv_cache)\.json,", l))
PY
if find bundled/libs -name '*.so' -o -name '*.pyd' | grep .; then
  echo "bundle.sh: compiled files in bundled/libs (a locked dependency is not pure Python)" >&2
  exit 1
fi

# compiled speed-ups (libyaml) for this platform, for each supported CPython (launch.py picks
# the folder of the running Python's version)
for v in 3.10 3.11 3.12 3.13 3.14; do
  [ -n "$UV_PLATFORM" ] || { echo "no compiled PyYAML on $PLATFORM: the pure-Python parser is used"; break; }
  dir="bundled/native/cp${v/./}"
  "${WHEELS[@]}" --python-platform "$UV_PLATFORM" --python-version "$v" --target "$dir" \
    -r "$TMP/pyyaml.txt" 2>/dev/null ||
    { echo "no PyYAML wheel for Python $v on $PLATFORM: the pure-Python parser is used"; rm -rf "$dir"; }
  rm -rf "$dir/bin"
done
find bundled -name .lock -type f -delete   # uv's lock files of the --target directories
du -sh bundled/libs bundled/native
