# rbpfgo: `make run` starts the playground, `make test` runs every test.
GO      ?= go
GOFILES  = $(shell git ls-files '*.go')

.PHONY: all run test check generate bench fuzz

all: test

# check: formatting, vet (native and for the browser: every package but the
# browser tests, which drive a native Chromium), and the core builds for the browser.
check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) build ./core/...

# test: everything, then the server's packages again under the race
# detector (concurrent requests share engines and limits).
test: check test-wasmtier
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race ./server/...

# test-wasmtier: the WebAssembly tier's tests under Node (js/wasm), about 10 s.
.PHONY: test-wasmtier
test-wasmtier:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./core/jit/wasm

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...

# fuzz: a short run of every fuzz target (FUZZTIME each), then the JIT's
# differential targets again in a jitguard build (every region between
# inaccessible pages, so an access the generated code should have refused
# crashes). A new input is minimised for at most FUZZMINIMIZE: Go's default
# of 60s stalls short runs.
FUZZTIME ?= 10s
FUZZMINIMIZE ?= 1s
JITGUARD_FUZZ = FuzzDifferential FuzzDeepDifferential FuzzELFRun
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg || exit 1; \
	  done; \
	done
	@for f in $(JITGUARD_FUZZ); do \
	  echo "== ./core/jit $$f (jitguard)"; $(GO) test -tags jitguard -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./core/jit || exit 1; \
	done

# soak: every fuzz target in turn (the jitguard ones too) for DURATION in
# all (s, m or h), split evenly, with minimisation off so that the execs
# printed are fuzzing alone; prints each target's new inputs and execs.
# FUZZWORKERS sets the fuzzing processes per target (Go's default: one per
# CPU), e.g. 1 to leave a core free while soaking.
DURATION ?= 10m
FUZZWORKERS ?=
.PHONY: soak
soak:
	@targets=$$(for pkg in $$($(GO) list ./...); do \
	    for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do echo "$$pkg,$$f,"; done; done; \
	  for f in $(JITGUARD_FUZZ); do echo "./core/jit,$$f,jitguard"; done); \
	n=$$(echo "$$targets" | wc -l); d=$(DURATION); \
	case $$d in *h) s=$$(( $${d%h} * 3600 ));; *m) s=$$(( $${d%m} * 60 ));; *s) s=$${d%s};; *) s=$$d;; esac; \
	per=$$(( s / n )); [ $$per -ge 1 ] || per=1; \
	echo "soak: $$n targets, $${per}s each"; failed=0; \
	for t in $$targets; do \
	  pkg=$${t%%,*}; rest=$${t#*,}; f=$${rest%%,*}; tags=$${rest#*,}; \
	  out=$$($(GO) test -tags "$$tags" -run '^$$' -fuzz "^$$f\$$" -fuzztime $${per}s -fuzzminimizetime 0 $(if $(FUZZWORKERS),-parallel $(FUZZWORKERS)) $$pkg 2>&1); rc=$$?; \
	  last=$$(echo "$$out" | grep '^fuzz: elapsed' | tail -1); \
	  execs=$$(echo "$$last" | sed -n 's/.*execs: \([0-9]*\).*/\1/p'); \
	  new=$$(echo "$$last" | sed -n 's/.*new interesting: \([0-9]*\).*/\1/p'); \
	  printf '%-45s %-24s %-9s execs %10s  new inputs %5s\n' $$pkg $$f "$$tags" "$$execs" "$$new"; \
	  if [ $$rc -ne 0 ]; then echo "$$out" | tail -30; failed=$$((failed + 1)); fi; \
	done; \
	[ $$failed -eq 0 ] || { echo "soak: $$failed targets failed"; exit 1; }

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

# run: build the playground page, embed it in the server and start it
# (the server prints its URL). ADDR=host:port to listen elsewhere.
ADDR ?= 127.0.0.1:8080
.PHONY: server-assets worker test-worker test-server loadtest check-server
run: wasm server-assets
	$(GO) run ./server -addr $(ADDR)

# server-assets: copy web/dist into server/static/dist, which the server
# embeds (git ignores the copy).
server-assets:
	@find server/static/dist -mindepth 1 ! -name .keep -exec rm -rf {} +
	cp -R web/dist/. server/static/dist/

# worker: the API as a Cloudflare Worker in server/worker/build (the shim
# and patched wasm_exec.js of workers-assets-gen, then app.wasm).
worker:
	$(GO) tool workers-assets-gen -mode=go -o server/worker/build
	GOOS=js GOARCH=wasm $(GO) build -ldflags='-s -w' -o server/worker/build/app.wasm ./server/worker

# test-worker: the shared API suite against the Worker in workerd (needs
# npm ci; make test runs it too, as part of ./...).
test-worker:
	$(GO) test -count=1 -v -run TestWorkerInWorkerd ./server/worker

# test-server: the server's packages under the race detector.
test-server:
	$(GO) test -count=1 -race ./server/...

# loadtest: rps and p50/p99 latency of a small program on interp and jit,
# client and server in one process on loopback (bounded in count and time).
loadtest:
	$(GO) run ./server/loadtest

check: check-server
check-server:
	GOOS=js GOARCH=wasm $(GO) vet ./server/api ./server/apitest ./server/static ./server/worker

# quick: the edit loop: gofmt and vet, then the core, CLI and page-logic
# tests without the browser, workerd and race runs (about 30 s).
.PHONY: quick
quick: check test-wasmtier
	$(GO) test ./core/... ./cmd/... ./internal/... ./wasm/...
