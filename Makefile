# carebot's one task runner. `make demo` and `make test` work on a machine with only
# Python 3.11+ and make: both install what they need first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint docs pytest eval bench bench-full clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: install
	$(BIN)/carebot demo

# Generated docs: the README's command table and docs/cli.md, from the argument parser.
DOCS := README.md docs/cli.md docs/architecture.md

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/cog --check $(DOCS)

docs: install
	$(BIN)/cog -r $(DOCS)

test: lint pytest

pytest: install
	$(BIN)/pytest -q

# Everything but the whole-story runs (the demo week, a simulated year).
test-fast: lint
	$(BIN)/pytest -q -m "not slow"

# The tagger, measured where it was not tuned: the untouched FFT split, the team's comments,
# and the two-coder social-care messages (risk on the half never read; sentiment and themes
# by cross-validation, a few minutes), each figure beside its target and the coders' own.
eval: install
	$(BIN)/carebot eval --data ../shared/data/feedback-dev.csv \
		--extra bench/data/social-care-comments.csv \
		--coded ../shared/data/social-care-dev.tsv

# Benchmarks at a size that runs in a few minutes; bench-full at a large council's size
# (the council-year database takes about 3 minutes to build the first time, then is reused).
bench: install
	$(BIN)/python bench/tagger_speed.py
	$(BIN)/python bench/send_out.py
	$(BIN)/python bench/digest_scale.py --people 3000 --services 30

bench-full: install
	$(BIN)/python bench/digest_scale.py

clean:
	rm -rf $(VENV) demo-output .mypy_cache .ruff_cache .pytest_cache *.egg-info
