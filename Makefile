# The two commands: `make report` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= data/raw
OUT    ?= reports

.PHONY: report test test-py test-notebooks lab model venv clean

venv: $(STAMP)

# torch first, pinned: its CPU build is on disk here; unpinned, camel-tools pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/idlibnb report $(CORPUS) --out $(OUT)

test: test-py test-notebooks

test-py: $(STAMP)
	$(BIN)/python -m pytest tests

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-kernel-name python3 -p no:cacheprovider notebooks/

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# Retrain the shipped NER model from data/external (not part of `make test`; docs/ner.md).
# Word clusters and the self-trained gazetteer are learnt from a corpus you pass:
# make model CLUSTER_CORPUS=/tmp/ant  (the skip-gram clusters need gensim: the `train` extra;
# `python -m idlibnb.ner train --neural` also trains the unshipped network, with torch)
model: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python -m idlibnb.ner train --data data/external $(if $(CLUSTER_CORPUS),--cluster-corpus $(CLUSTER_CORPUS))

clean:
	rm -rf $(OUT) .pytest_cache
