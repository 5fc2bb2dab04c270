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

# test: everything, then the server's packages again under the race
# detector (concurrent requests share engines and limits).
test: check
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race ./server/...

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
