# ptgraph: `make demo` checks, draws, writes as a website and loads the buy-in theory; `make test` runs the whole suite.
# Both do their own set-up on a fresh Debian machine: virtualenv, Python packages,
# Graphviz, Java and Maven for the local Neo4j, Chromium and axe-core for the Browser tests,
# Mermaid (from npm) for the tests that draw ptgraph's Mermaid figures in Chromium, and
# pdflatex and LuaLaTeX for the LaTeX tables.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.ptgraph-installed
THEORY := theory
EXAMPLE := examples/deprescribing-review
VOCABULARY := examples/vocabulary
NEO4J  := scripts/neo4j-local
MERMAID := tests/browser/mermaid
MERMAID_STAMP := $(MERMAID)/node_modules/.ptgraph-installed
PYTEST_ARGS ?=

.PHONY: help setup system-deps latex-deps browser-deps mermaid-deps demo test check render site load neo4j-start neo4j-stop neo4j-status neo4j-logs neo4j-reset bench bench-quick clean

help:
	@echo "make demo   check and render the buy-in theory, write its website (site/), load it into the local Neo4j"
	@echo "make test   the whole test suite (starts and stops its own local Neo4j)"
	@echo "make bench  benchmarks (docs/benchmarks.md); make bench-quick for a one-minute run"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[test,browser]'
	@touch $@

setup: $(STAMP) system-deps

system-deps:
	@scripts/require dot:graphviz java:openjdk-17-jre-headless mvn:maven

# The Mermaid releases of tests/browser/mermaid/package-lock.json, exactly (npm ci).
$(MERMAID_STAMP): $(MERMAID)/package.json $(MERMAID)/package-lock.json
	@scripts/require npm:npm
	@npm ci --prefix $(MERMAID) --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

mermaid-deps: $(MERMAID_STAMP)

demo: setup
	$(BIN)/ptgraph check $(THEORY)
	$(BIN)/ptgraph stats $(THEORY)
	@rm -f diagrams/*.dot diagrams/*.svg diagrams/*.png
	$(BIN)/ptgraph render $(THEORY) -o diagrams
	$(BIN)/ptgraph check $(EXAMPLE)
	@rm -f $(EXAMPLE)/diagrams/*.dot $(EXAMPLE)/diagrams/*.svg $(EXAMPLE)/diagrams/*.png
	$(BIN)/ptgraph render $(EXAMPLE) -o $(EXAMPLE)/diagrams
	$(BIN)/ptgraph check $(VOCABULARY)
	$(BIN)/ptgraph site $(THEORY) -o site
	@$(NEO4J) start
	@eval "$$($(NEO4J) env)" && $(BIN)/ptgraph load $(VOCABULARY) && $(BIN)/ptgraph load $(THEORY) \
	  && $(BIN)/ptgraph load $(EXAMPLE)
	@echo
	@echo "The theory as a website: file://$(CURDIR)/site/index.html"
	@url="$$($(NEO4J) browser-url)" && echo "Neo4j Browser: $$url   login: neo4j / ptgraph-local"
	@echo "First query to paste:  MATCH p=(:CMOC {theory:'buy-in'})-[:HAS_CONTEXT|HAS_MECHANISM|HAS_OUTCOME]->(:Concept) RETURN p"
	@echo "Stop the server with:  $(NEO4J) stop"

# Chromium for the Browser tests, and axe-core (npm) for the accessibility check of the site.
browser-deps:
	@scripts/require chromium:chromium npm:npm || test "$$CI" != true
	@test -f tests/browser/node_modules/axe-core/axe.min.js || ! command -v npm >/dev/null \
	  || npm install --prefix tests/browser --silent
	@$(MAKE) --no-print-directory mermaid-deps || test "$$CI" != true

# pdflatex (with booktabs, longtable, pdflscape) to compile the LaTeX tables `export table --format
# latex` writes, LuaLaTeX (fontspec) for the characters pdflatex lacks, pdftotext to read them back.
latex-deps:
	@scripts/require pdflatex:texlive-latex-recommended lualatex:texlive-luatex pdftotext:poppler-utils \
	  || test "$$CI" != true

# The Neo4j tier runs against a local server of its own (instance "test"), started
# here and stopped afterwards, so `make test` never touches the one `make demo` left running.
test: setup browser-deps latex-deps
	@$(NEO4J) --instance test start
	@status=0; \
	  eval "$$($(NEO4J) --instance test env | sed 's/export NEO4J_/export PTGRAPH_LOCAL_NEO4J_/')"; \
	  $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	  $(NEO4J) --instance test stop || true; \
	  exit $$status

check: setup
	$(BIN)/ptgraph check $(THEORY)

render: setup
	@rm -f diagrams/*.dot diagrams/*.svg diagrams/*.png
	$(BIN)/ptgraph render $(THEORY) -o diagrams
	@rm -f $(EXAMPLE)/diagrams/*.dot $(EXAMPLE)/diagrams/*.svg $(EXAMPLE)/diagrams/*.png
	$(BIN)/ptgraph render $(EXAMPLE) -o $(EXAMPLE)/diagrams

site: setup
	$(BIN)/ptgraph site $(THEORY) -o site

load: setup
	@$(NEO4J) start
	@eval "$$($(NEO4J) env)" && $(BIN)/ptgraph load $(VOCABULARY) && $(BIN)/ptgraph load $(THEORY) \
	  && $(BIN)/ptgraph load $(EXAMPLE)

neo4j-start:
	@$(NEO4J) start
neo4j-stop:
	@$(NEO4J) stop
neo4j-status:
	@$(NEO4J) status
neo4j-logs:
	@$(NEO4J) logs
neo4j-reset:
	@$(NEO4J) reset

# BENCH_INSTANCE: the scripts/neo4j-local instance the Neo4j steps use ("bench", on bolt
# port 7689, unless set; BENCH_ARGS="--neo4j env" uses the server NEO4J_URI names).
BENCH_INSTANCE ?= bench
BENCH_ARGS ?=

bench: setup
	$(BIN)/python -m bench.run --instance $(BENCH_INSTANCE) --out docs/benchmarks.md --json bench/out/bench.json $(BENCH_ARGS)

bench-quick: setup
	$(BIN)/python -m bench.run --quick --instance $(BENCH_INSTANCE) $(BENCH_ARGS)

clean:
	rm -rf build dist src/*.egg-info .pytest_cache .hypothesis
