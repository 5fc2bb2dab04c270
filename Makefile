# rbpfgo: `make run` starts the playground, `make test` runs every test.
GO      ?= go
GOFILES  = $(shell git ls-files '*.go')

.PHONY: all run test check generate bench fuzz

all: test

# check: formatting, vet (native and for the browser), and the core builds for the browser.
check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/...
	GOOS=js GOARCH=wasm $(GO) build ./core/...

test: check
	$(GO) test -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...

# fuzz: a short run of every fuzz target (FUZZTIME each).
FUZZTIME ?= 10s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# wasm: the playground in web/dist: index.html, style.css, wasm_exec.js,
# main.wasm (-ldflags='-s -w') and main.wasm.gz (see web/mkdist).
.PHONY: wasm check-wasm
wasm:
	$(GO) run ./web/mkdist -o web/dist

# check-wasm: the playground vets for the browser, and regenerating its vugu
# code (in a scratch copy) changes nothing.
check: check-wasm
check-wasm:
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...
	@tmp=$$(mktemp -d) && cp wasm/ui/*.vugu wasm/ui/*.go $$tmp/ && \
	  $(GO) tool vugugen -skip-go-mod -skip-main $$tmp >/dev/null && gofmt -w $$tmp/*_gen.go && \
	  for f in $$tmp/*_gen.go; do cmp -s $$f wasm/ui/$$(basename $$f) || { echo "wasm/ui/$$(basename $$f) is stale: run go generate ./wasm/ui (vugugen, then gofmt)"; rm -rf $$tmp; exit 1; }; done; \
	  rm -rf $$tmp
