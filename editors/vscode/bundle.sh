#!/usr/bin/env bash
# Put the server and its dependencies into bundled/ so the .vsix needs only a Python 3.10+.
# Usage: PYTHON=<python3 with pip> bash bundle.sh [PLATFORM]   (PLATFORM: linux-x64, the default)
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
PLATFORM=${1:-linux-x64}
ROOT=$(cd ../.. && pwd)
rm -rf bundled/libs bundled/native
mkdir -p bundled/libs bundled/native
PIP=("$PYTHON" -m pip --disable-pip-version-check -q)
WHEELS=$(mktemp -d)
trap 'rm -rf "$WHEELS"' EXIT

# agentls itself, as a wheel of this checkout
"${PIP[@]}" wheel --no-deps -w "$WHEELS" "$ROOT"
"${PIP[@]}" install --no-deps --target bundled/libs "$WHEELS"/agentls-*.whl
# pure-Python dependencies, resolved for the oldest supported Python (3.10) so that backports
# (exceptiongroup, typing_extensions) are included
"${PIP[@]}" install --target bundled/libs --only-binary=:all: --python-version 3.10 \
  --implementation py --abi none --platform any "pygls>=2.1,<3" "lsprotocol>=2025.0.0,<2026"
# PyYAML without its C extension (pure Python works everywhere; the native one is below)
"${PIP[@]}" install --target bundled/libs --no-deps --no-binary pyyaml "PyYAML>=6.0.1,<7"
find bundled/libs -name '_yaml*.so' -delete -o -name '_yaml*.pyd' -delete
find bundled/libs -name '__pycache__' -type d -prune -exec rm -rf {} +
rm -rf bundled/libs/bin

# compiled speed-ups for one platform, for each supported CPython
case "$PLATFORM" in
  linux-x64) PIP_PLATFORMS=(--platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64); TAG=linux_x86_64 ;;
  linux-arm64) PIP_PLATFORMS=(--platform manylinux2014_aarch64 --platform manylinux_2_17_aarch64 --platform manylinux_2_28_aarch64); TAG=linux_aarch64 ;;
  darwin-arm64) PIP_PLATFORMS=(--platform macosx_11_0_arm64); TAG=macosx_11_0_arm64 ;;
  win32-x64) PIP_PLATFORMS=(--platform win_amd64); TAG=win_amd64 ;;
  *) echo "unknown platform $PLATFORM" >&2; exit 2 ;;
esac
for v in 3.10 3.11 3.12 3.13; do
  dir="bundled/native/cp${v/./}-$TAG"
  "${PIP[@]}" install --target "$dir" --only-binary=:all: --no-deps --python-version "$v" \
    "${PIP_PLATFORMS[@]}" "PyYAML>=6.0.1,<7" || echo "no wheels for Python $v on $PLATFORM"
  rm -rf "$dir/bin"
done
du -sh bundled/libs bundled/native
