# agentls: `make demo` sets up and runs the checker on examples/; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck unit schemas catalog bench corpus-report vsix clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m compileall -q server/agentls
	touch $(STAMP)

demo: $(STAMP)
	@echo "== agentls check examples/  (what a user sees in CI and, as squiggles, in the editor)"
	@$(BIN)/agentls check examples; status=$$?; \
	  echo "== exit status $$status (0: no errors, 1: errors found, 2: usage or I/O problem)"; \
	  test $$status -le 1
	@echo "== what Claude Code makes of examples/.claude/agents/senior-backend-expert.md"
	@$(BIN)/agentls explain examples/.claude/agents/senior-backend-expert.md

lint: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/agentls schema

test: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/mypy
	$(BIN)/agentls schema --check
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m compileall -q server/agentls
	$(BIN)/python bench/run.py --out bench/results/latest.json

VSIX_TARGET ?= linux-x64

# The VS Code extension, with the server and its dependencies bundled (only Python 3.10+ needed)
vsix: $(STAMP)
	cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error
	cd editors/vscode && npm run -s typecheck && npm run -s build
	cd editors/vscode && PYTHON=$(CURDIR)/$(BIN)/python bash bundle.sh $(VSIX_TARGET)
	cd editors/vscode && npx vsce package --allow-missing-repository --target $(VSIX_TARGET) \
	  -o $(CURDIR)/agentls-$(VSIX_TARGET).vsix

# The extension in a real VS Code (code-server + headless Chromium); installs its own toolchain
.PHONY: test-e2e
test-e2e: $(STAMP)
	bash tests/vscode/run_vscode_e2e.sh

CORPUS ?= ../shared/corpus

corpus-report: $(STAMP)
	@test -d $(CORPUS) || { echo "no corpus at $(CORPUS) (set CORPUS=...)"; exit 2; }
	$(BIN)/agentls check --statistics $(CORPUS); test $$? -le 1

catalog: $(STAMP)
	$(BIN)/python -c "from agentls.core.catalog import write_compiled; write_compiled()"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
