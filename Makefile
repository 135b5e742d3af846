# `make` sets everything up and builds the example; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 fonts-texgyre-math librsvg2-bin libreoffice-writer-nogui libreoffice-math-nogui fonts-liberation chromium
STAMP := $(VENV)/.installed

.PHONY: all build test lint check-system clean benchmark

all: build

check-system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "run: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	touch $(STAMP)

build: check-system $(STAMP)
	$(PY) build.py

CONFORMANCE := ../shared/gbt7714/conformance

# Static checks first (ruff, mypy --strict on the package: both configured in pyproject.toml), then the
# conformance figures, then pytest (its summary is the last line). tests/test_install.py builds the wheel,
# installs it in a temporary venv and builds a copy of the example outside the repository.
test: check-system $(STAMP) lint
	@if [ -d $(CONFORMANCE) ]; then $(PY) scripts/conformance.py $(CONFORMANCE)/*.jsonl --diffs 0; fi
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check mspress tests scripts benchmarks build.py
	$(VENV)/bin/mypy

benchmark: check-system $(STAMP)
	$(PY) benchmarks/build_time.py

clean:
	rm -rf $(VENV) output/*.html output/*.pdf dist build *.egg-info
