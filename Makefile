# The two commands a new user needs: `make demo` and `make test`.
# Each creates .venv when it is missing and installs the pinned dependencies.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow bench fuzz clean lock

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# compile the Numba kernels into their on-disk cache now, not on a user's first command (about a minute)
	$(BIN)/python -m dependencia._warmup
	touch $(STAMP)

demo: $(STAMP)
	@echo "Florentine families (Padgett & Ansell 1993): who sits between the marriage ties?"
	@$(BIN)/dependencia power florentine --top 5
	@echo
	@echo "The AI stack: chips -> clouds -> AI labs -> firms -> people; power through what each actor controls"
	@$(BIN)/dependencia power ai-stack --top 10
	@echo
	@echo "Who earns what in the AI stack: administered prices, tolls, rents, and latent power (power share - income share)"
	@$(BIN)/dependencia rents ai-stack --top 8
	@echo
	@echo "The debt brake: the same public and private investors, with and without the cap on public borrowing (interest and a fiscal rule in both, as in its experiment)"
	@$(BIN)/python scripts/demo_debt_brake.py --steps 50 --out runs/demo
	@echo
	@echo "The same two runs side by side in one self-contained HTML report (works offline):"
	@$(BIN)/dependencia report runs/demo/brake runs/demo/no-brake -o runs/demo/debt-brake-report.html --quiet
	@echo "report: $(CURDIR)/runs/demo/debt-brake-report.html"

# The checks that keep the house (docs/architecture.md): the layer contracts (pyproject.toml,
# [tool.importlinter]), ruff, mypy on the package; then the tests, in two processes (pytest-xdist):
# most tests run one core, and CI gives two (docs/architecture.md).
test: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check src tests benchmarks scripts fuzz examples
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not slow" -n 2

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow

# Long fuzzing of the readers (issue 10): the hypothesis fuzz tests with 25 times the examples of
# `make test`, then each atheris harness in fuzz/ for FUZZ_SECONDS. atheris is installed here only
# (pinned; not in requirements.lock). Inputs that crash a harness are saved in fuzz/findings/.
ATHERIS := atheris==2.3.0
FUZZ_SECONDS ?= 60

fuzz: $(STAMP)
	$(BIN)/python -c "import atheris" 2>/dev/null || $(BIN)/python -m pip install --quiet $(ATHERIS)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/hardening/test_fuzz.py
	@mkdir -p fuzz/findings
	@work=$$(mktemp -d) && trap 'rm -rf "$$work"' EXIT && for harness in fuzz_csv fuzz_yaml; do \
	    echo "atheris: $$harness for $(FUZZ_SECONDS) s"; \
	    TMPDIR=$$work $(BIN)/python fuzz/$$harness.py -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	        -rss_limit_mb=2048 -artifact_prefix=fuzz/findings/ -print_final_stats=1 || exit 1; \
	done

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python benchmarks/bench_power.py

lock:
	rm -rf /tmp/dependencia-lock && $(PYTHON) -m venv /tmp/dependencia-lock
	/tmp/dependencia-lock/bin/pip install --quiet ".[test]"
	/tmp/dependencia-lock/bin/pip freeze --exclude dependencia > requirements.lock

clean:
	rm -rf $(VENV) build src/*.egg-info
