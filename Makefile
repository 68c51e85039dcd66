# Two commands on a fresh machine: `make demo` builds the graph from the real data and shows
# results; `make test` runs the tests. Each makes its own virtual environment from nothing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= data/store

.PHONY: demo test bench clean docs

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/ofsted-kg build --store $(STORE)
	$(BIN)/ofsted-kg stats --store $(STORE)
	$(BIN)/ofsted-kg query providers-by-type --limit 12 --store $(STORE)
	$(BIN)/ofsted-kg query provider-profile --param urn=SC066400 --format csv --store $(STORE)
	$(BIN)/ofsted-kg query inspection-history --param urn=SC066400 --format csv --store $(STORE)
	$(BIN)/ofsted-kg query people-by-provider --param urn=SC066400 --store $(STORE)
	$(BIN)/ofsted-kg query requirements-by-provider --param urn=SC066400 --store $(STORE)
	$(BIN)/ofsted-kg query owners-by-inadequate --limit 10 --store $(STORE)
	$(BIN)/ofsted-kg query la-judgements --param la=Worcestershire --format csv --store $(STORE)
	$(BIN)/ofsted-kg query la-trajectories --param direction=up --limit 10 --store $(STORE)
	$(BIN)/ofsted-kg query news-vs-record --format csv --store $(STORE)
	$(BIN)/ofsted-kg export --view owners --format graphml --store $(STORE) --out out/owners.graphml
	$(BIN)/ofsted-kg viz --urn SC066400 --store $(STORE) --out out/SC066400.html
	@echo "Networks for Gephi/yEd: out/owners.graphml; a provider's neighbourhood: out/SC066400.html"
	@echo "Query from a browser: $(BIN)/ofsted-kg serve --store $(STORE)"

test: $(BIN)/.installed
	$(BIN)/pytest -q

bench: $(BIN)/.installed
	$(BIN)/python -m bench

docs: $(BIN)/.installed
	$(BIN)/ofsted-kg docs

clean:
	rm -rf $(VENV) data
