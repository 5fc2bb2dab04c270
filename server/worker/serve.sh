#!/usr/bin/env bash
# Starts the Worker built by `make worker` in workerd, offline, on
# 127.0.0.1:${PORT:-8787}. Stop it with Ctrl-C (or kill the printed pid).
set -euo pipefail
cd "$(dirname "$0")"
root=../..
workerd=$root/node_modules/.bin/workerd
[ -x "$workerd" ] || { echo "workerd missing: run npm ci at the repository root" >&2; exit 1; }
[ -f build/app.wasm ] || { echo "build/app.wasm missing: run make worker" >&2; exit 1; }
echo "rbpfgo worker on http://127.0.0.1:${PORT:-8787}/api/health (pid $$)"
exec "$workerd" serve workerd.capnp --socket-addr "http=127.0.0.1:${PORT:-8787}"
