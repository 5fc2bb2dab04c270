# workerd configuration running the Worker built by `make worker` offline.
# The four modules are those workers-assets-gen and the Go build write to
# build/ (paths relative to this file). The socket's address is set on the
# command line: workerd serve workerd.capnp --socket-addr http=127.0.0.1:8787
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "rbpfgo", worker = .rbpfgo)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "rbpfgo")],
);

const rbpfgo :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "build/worker.mjs"),
    (name = "shim.mjs", esModule = embed "build/shim.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "app.wasm", wasm = embed "build/app.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
