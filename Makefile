# radlab: the two commands are `make demo` and `make test`; both install what they need first.
# Every step is idempotent: stamps in .stamps/ remember what is done, and are redone when their
# inputs change.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
# Stamps of what is installed into the Python environment live inside it: a new or deleted
# environment is set up again.
VSTAMPS := $(VENV)/.radlab-stamps
PYTHON ?= python3
NPM_FLAGS := --no-audit --no-fund --loglevel=error
# This machine's pip config names a local index folder that may be absent; drop pip's warnings about it.
PIP_FILTER := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }; test $${PIPESTATUS[0]} -eq 0
# Debian packages the tests and the demo use, as package:command-or-path.
# Orthanc is the PACS the tests pull from (inside a private network namespace: iproute2 brings its
# loopback up).
SYSTEM_PACKAGES := chromium:/usr/bin/chromium fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
  postgresql:/usr/lib/postgresql orthanc:/usr/sbin/Orthanc \
  orthanc-dicomweb:/usr/share/orthanc/plugins/libOrthancDicomWeb.so iproute2:/usr/sbin/ip

EXT_DIR := jupyterlab-ext
LABEXT := $(EXT_DIR)/radlab_jupyterlab/labextension/package.json
EXT_SOURCES := $(shell find $(EXT_DIR)/src $(EXT_DIR)/style kernel-lib/src/display/contract kernel-lib/src/core -type f 2>/dev/null) $(EXT_DIR)/package.json
DEMO_NOTEBOOKS := notebooks/getting-started.ipynb notebooks/dicom-basics.ipynb notebooks/store.ipynb \
  notebooks/deidentification.ipynb notebooks/datasets.ipynb notebooks/chest-xray-exercise.ipynb \
  notebooks/radiomics.ipynb
# The demo and the tests start Orthanc, which listens on every interface: as root they run in a
# private network namespace (loopback only).
PRIVATE_NETWORK := $(if $(filter 0,$(shell id -u)),scripts/private-network.sh,)

.PHONY: help setup system build demo test lab lint clean constraints bench-dicom bench-store bench-datasets bench-deid tfjs-native bench-train bench-radiomics

help:
	@echo "make demo   install what is needed, then run the main journey's notebooks (outputs in out/demo)"
	@echo "make test   install what is needed, then run every test (lint, unit, notebooks, browser)"
	@echo "make lab    open JupyterLab on notebooks/ with the tslab kernel and the radlab extension"
	@echo "make setup  only install (npm packages, .venv with JupyterLab, extension, tslab kernel)"

setup: system $(VSTAMPS)/kernel $(VSTAMPS)/extension build

system:
	@scripts/ensure-system-packages.sh $(SYSTEM_PACKAGES)

$(STAMPS)/npm: package.json package-lock.json kernel-lib/package.json $(EXT_DIR)/package.json
	@mkdir -p $(STAMPS)
	npm ci $(NPM_FLAGS)
	@touch $@

$(VSTAMPS)/venv: requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@mkdir -p $(VSTAMPS)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt $(PIP_FILTER)
	@touch $@

# TypeScript project references: kernel-lib, then the extension (incremental, so cheap to rerun).
build: $(STAMPS)/npm
	npx tsc -b kernel-lib/tsconfig.build.json $(EXT_DIR)/tsconfig.build.json

# The prebuilt labextension. @jupyterlab/builder is called directly with the Python package's core
# metadata: `jupyter labextension build` would run jlpm (yarn) in the workspace and replace
# node_modules with Yarn PnP.
$(LABEXT): $(STAMPS)/npm $(VSTAMPS)/venv $(EXT_SOURCES)
	npx tsc -b kernel-lib/tsconfig.build.json $(EXT_DIR)/tsconfig.build.json
	core="$$($(abspath $(PY)) -c 'import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging"))')" && \
	  cd $(EXT_DIR) && node ../node_modules/@jupyterlab/builder/lib/build-labextension.js --core-path "$$core" .
	@touch $@

$(VSTAMPS)/extension: $(LABEXT) $(EXT_DIR)/pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps --force-reinstall ./$(EXT_DIR) $(PIP_FILTER)
	$(VENV)/bin/jupyter labextension list 2>&1 | grep -q '@radlab/jupyterlab.*enabled.*OK'
	@touch $@

$(VSTAMPS)/kernel: $(STAMPS)/npm $(VSTAMPS)/venv scripts/install-kernel.mjs scripts/tslab-kernel.cjs
	node scripts/install-kernel.mjs $(VENV)
	@touch $@

demo: setup
	$(PRIVATE_NETWORK) node scripts/demo.mjs $(DEMO_NOTEBOOKS)

test: setup
	node scripts/test-all.mjs

lint: $(STAMPS)/npm
	npx eslint .
	npx prettier --check .
	npx tsc -p kernel-lib && npx tsc -p $(EXT_DIR) && npx tsc -p test

lab: setup
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/jupyter lab --notebook-dir=notebooks

# Benchmarks (not part of make test): radlab against its peers, same files, same run.
bench-dicom: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt $(PIP_FILTER)
	node bench/dicom-read.mjs

bench-store: setup
	node bench/store-index.mjs

bench-datasets: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements-dvc.txt $(PIP_FILTER)
	node bench/dataset-versions.mjs

# The native TensorFlow backend without tfjs-node's download: the binding built against the C
# library in PyPI's TensorFlow wheel (docs/tfjs-node-from-the-tensorflow-wheel.md). Opt-in: about
# 1.1 GB. TFJS_PACKAGE=@tensorflow/tfjs-node-gpu TF_WHEEL_PACKAGE=tensorflow WITH_CUDA_LIBS=1 for CUDA 12.
tfjs-native: setup
	scripts/build-tfjs-node.sh build/tfjs-node
	npm install --no-save --install-links --ignore-scripts build/tfjs-node/package

# Orthanc 1.10 listens on every interface: the bench runs in a private network namespace (and
# refuses to start outside one).
bench-deid: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt $(PIP_FILTER)
	$(PRIVATE_NETWORK) node bench/deid-header.mjs

# Training the chest X-ray exercise's CNN against TensorFlow/Keras for Python on the same prepared
# arrays (about 10 minutes; EPOCHS=N, SEEDS=a,b,c).
bench-train: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements-keras.txt $(PIP_FILTER)
	node bench/cxr-train.mjs

constraints: $(VSTAMPS)/venv
	(echo "# Generated by 'make constraints' from a working .venv: every transitive Python dependency, pinned."; \
	  $(PY) -m pip freeze --disable-pip-version-check | grep -v '^radlab') > constraints.txt

clean:
	rm -rf $(STAMPS) $(VSTAMPS) build out kernel-lib/dist $(EXT_DIR)/lib $(EXT_DIR)/radlab_jupyterlab/labextension

# pyradiomics has no wheel for Python 3.11: it is built from its sdist against the numpy it
# imports in setup.py, so the build prerequisites go first (see bench/requirements-radiomics.txt).
bench-radiomics: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -c bench/requirements-radiomics.txt numpy setuptools wheel $(PIP_FILTER)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-build-isolation -r bench/requirements-radiomics.txt $(PIP_FILTER)
	node bench/radiomics.mjs
