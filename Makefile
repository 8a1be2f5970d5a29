# Crossdock — run `make help` for the targets.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

BIN        := bin/crossdock
GO         ?= go
ADDR       ?= 127.0.0.1:8080
RACE       ?=
TEST_FLAGS ?= -count=1 -timeout 12m
BENCH_TIME ?= 2s
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GRAPHIQL_DIST := adapters/httpapi/graphiql/dist

ifeq ($(RACE),1)
TEST_FLAGS += -race
endif

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: assets
assets: $(GRAPHIQL_DIST)/graphiql.min.js ## Bundle GraphiQL and React from the npm registry (npm ci) for embedding

$(GRAPHIQL_DIST)/graphiql.min.js: web/graphiql/package.json web/graphiql/package-lock.json web/graphiql/build.sh
	cd web/graphiql && npm ci --no-audit --no-fund --loglevel=error && sh ./build.sh

.PHONY: build
build: assets ## Build bin/crossdock (with GraphiQL embedded)
	$(GO) build -o $(BIN) ./cmd/crossdock

.PHONY: run
run: build ## Build and start the demo: the hub with a simulated Odoo and partners (crossdock demo)
	./$(BIN) demo --addr $(ADDR)

.PHONY: test
test: assets ## Run every test (RACE=1 adds the race detector; CROSSDOCK_REQUIRE_SERVICES=1 fails instead of skipping)
	$(GO) test $(TEST_FLAGS) ./...

.PHONY: test-race
test-race: ## Run every test with the race detector
	$(MAKE) test RACE=1

.PHONY: lint
lint: ## go vet and staticcheck
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

.PHONY: fmt
fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

.PHONY: bench
# The issue's rebuild figure is over 1,000,000 events (about four minutes here: filling the log, building
# the views, rebuilding each); REBUILD_EVENTS=100000 for a quicker look.
REBUILD_EVENTS ?= 1000000

bench: build ## Run the benchmarks and the drivers (prints name=value lines)
	$(GO) test -run '^$$' -bench . -benchtime $(BENCH_TIME) ./eventstore/... ./adapters/edi/x12/ ./adapters/edi/x12doc/ ./adapters/changefeed/
	$(GO) run ./bench/storebench
	$(GO) run ./bench/edibench
	$(GO) run ./bench/ingestbench -bin $(BIN)
	$(GO) run ./bench/fanoutbench -bin $(BIN)
	$(GO) run ./bench/divergencebench -bin $(BIN)
	$(GO) run ./bench/rebuildbench -events $(REBUILD_EVENTS)

# Each fuzz target runs for FUZZ_TIME; `make test` runs their seed corpora only.
FUZZ_TIME ?= 60s
FUZZ_TARGETS := \
	./adapters/edi/x12:FuzzParse \
	./adapters/edi/x12doc:FuzzMap \
	./adapters/edi/x12doc:FuzzMapTransaction \
	./adapters/edi/edifact:FuzzParse \
	./adapters/edi/edifactdoc:FuzzMap \
	./adapters/csvdoc:FuzzRead \
	./adapters/webhooks:FuzzParse \
	./adapters/ingest:FuzzDecodeASN \
	./adapters/admin:FuzzReadProfile \
	./domain/partner:FuzzLoadProfiles

.PHONY: fuzz
fuzz: ## Fuzz every reader of partner bytes for FUZZ_TIME each (default 60s)
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZ_TIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZ_TIME) $$pkg; \
	done

.PHONY: clean
clean: ## Remove build output (keeps ./crossdock-data)
	rm -rf bin
