# cookiescan: make demo | make test | make build | make bench | make lint
GO       ?= go
PKGS     ?= ./...
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

.PHONY: demo test build bench lint accuracy declaration-accuracy train deps

## demo: scan the bundled demo site in all three consent states and print the report
demo:
	@scripts/ensure-deps.sh --browser-only
	@$(GO) run -ldflags "$(LDFLAGS)" ./cmd/cookiescan demo

## test: vet, then every test (browser tests included; Chromium is installed if missing)
test: deps
	$(GO) mod tidy -diff
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 15m $(PKGS)

deps:
	@scripts/ensure-deps.sh

## build: the cookiescan binary in bin/
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/cookiescan ./cmd/cookiescan

## bench: the benchmarks (full scan, lookups, parsing, store)
bench: deps
	$(GO) test -run '^$$' -bench . -benchmem -timeout 20m $(PKGS)

## accuracy: classification accuracy on the labelled CookieBlock crawl (site-grouped cross-validation, needs ../shared) and against the categories of real declarations
accuracy:
	$(GO) test ./classifier -run 'TestAccuracy|TestDeclaredCategories' -count=1 -v

## train: retrain the classifier's model from ../shared/data and testdata/declarations/real into classifier/weights_gen.go (deterministic)
train:
	$(GO) run ./classifier/internal/train -data ../shared/data -repo . -out classifier/weights_gen.go

## declaration-accuracy: the declaration reader scored on the labelled declarations (../shared corpus, seeds, fixtures)
declaration-accuracy:
	$(GO) test ./declaration -run TestDeclarationAccuracy -count=1 -v

## lint: formatting, go.mod tidiness and vet
lint:
	$(GO) mod tidy -diff
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet $(PKGS)
