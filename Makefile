# The two quick-start commands: `make benchmark` (the main job) and `make test`.
# Each sets up .venv itself (scripts/setup_env.sh: torch pinned first).
PY := .venv/bin/python
DATA ?= ../shared/data/ptbxl
OUT ?= results/benchmark

.PHONY: setup benchmark test docs clean
setup:
	bash scripts/setup_env.sh

benchmark: setup
	.venv/bin/ecoscale benchmark --out $(OUT)

test: setup
	.venv/bin/lint-imports
	.venv/bin/ruff check sktime_ecoscale tests benchmarks examples scripts
	.venv/bin/ruff format --check sktime_ecoscale tests benchmarks examples scripts
	$(PY) -m pytest -n 2 --dist worksteal -q -p no:cacheprovider --doctest-modules sktime_ecoscale tests

docs: setup
	$(PY) -m pip install -q -e ".[docs]"
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

clean:
	rm -rf .venv docs/_build results
