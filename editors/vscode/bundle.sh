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
# uv's target platform for the wheels, and the directory tag launch.py looks for
case "$PLATFORM" in
  linux-x64) UV_PLATFORM=x86_64-manylinux_2_28; TAG=linux_x86_64 ;;
  linux-arm64) UV_PLATFORM=aarch64-manylinux_2_28; TAG=linux_aarch64 ;;
  darwin-arm64) UV_PLATFORM=aarch64-apple-darwin; TAG=macosx_11_0_arm64; export MACOSX_DEPLOYMENT_TARGET=11.0 ;;
  win32-x64) UV_PLATFORM=x86_64-pc-windows-msvc; TAG=win_amd64 ;;
  *) echo "unknown platform $PLATFORM" >&2; exit 2 ;;
esac
rm -rf bundled/libs bundled/native
mkdir -p bundled/libs bundled/native
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
INSTALL=("$UV" pip install --quiet --python "$PYTHON" --no-deps --require-hashes
         --only-binary :all: --python-platform "$UV_PLATFORM")

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

# compiled speed-ups (libyaml) for one platform, for each supported CPython
for v in 3.10 3.11 3.12 3.13; do
  dir="bundled/native/cp${v/./}-$TAG"
  "${INSTALL[@]}" --python-version "$v" --target "$dir" -r "$TMP/pyyaml.txt" ||
    echo "no wheels for Python $v on $PLATFORM"
  rm -rf "$dir/bin"
done
find bundled -name .lock -type f -delete   # uv's lock files of the --target directories
du -sh bundled/libs bundled/native
