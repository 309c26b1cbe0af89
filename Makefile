# The two commands a new user needs: `make run` and `make test`. Everything else is their plumbing.
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip --disable-pip-version-check -q
VENDOR := src/hiresight/web/static/vendor

.PHONY: run test install install-dev vendor system-deps lint typecheck unit clean lock

run: install vendor system-deps ## Install everything, migrate, load the demo once, and serve on :8000
	$(BIN)/hiresight db upgrade
	$(BIN)/hiresight demo load
	@echo "Serving Hiresight on http://127.0.0.1:8000 (Ctrl-C stops it)"
	$(BIN)/hiresight serve

test: install-dev vendor system-deps lint typecheck unit ## Install dev tools; run ruff, mypy --strict and pytest

$(BIN)/python:
	python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(PIP) install -c requirements.lock -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -c requirements.lock -e '.[dev,seq]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

vendor: ## Front-end libraries from npm, copied into the static folder (never committed)
	@# --ignore-scripts: swagger-ui-dist's one dependency only reports installs home from a postinstall.
	@test -d node_modules/htmx.org -a -d node_modules/monaco-editor -a -d node_modules/swagger-ui-dist \
		-a -d node_modules/axe-core || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@mkdir -p $(VENDOR)/monaco $(VENDOR)/swagger-ui
	@cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	@# axe-core: the accessibility checker the browser tests inject into each page.
	@cp node_modules/axe-core/axe.min.js $(VENDOR)/
	@cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
		node_modules/swagger-ui-dist/favicon-32x32.png $(VENDOR)/swagger-ui/
	@test -d $(VENDOR)/monaco/vs || cp -r node_modules/monaco-editor/min/vs $(VENDOR)/monaco/

system-deps: ## Debian packages: bubblewrap (sandbox) always, chromium and espeak-ng (test speech) for the tests
	@sh scripts/system-deps.sh $(if $(filter test,$(MAKECMDGOALS)),bubblewrap chromium espeak-ng,bubblewrap)

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest

lock: ## Re-pin every dependency after changing pyproject.toml
	$(PIP) install -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .mypy_cache .ruff_cache .pytest_cache
