#!/bin/sh
# Builds rbpf v0.2.8 with the timing harness bench.rs, offline, against
# Debian's vendored crates, into DIR/target/release/examples/bench.
#
#   build.sh RBPF_V0.2.8_SOURCE_DIR
#
# Needs: apt-get install cargo rustc librust-byteorder-dev librust-goblin-dev
# librust-hash32-dev librust-libc-dev librust-log-dev librust-rand-dev
# librust-scroll-dev librust-thiserror-dev (goblin 0.2, hash32 0.3, rand
# 0.8 stand in for 0.3, 0.1, 0.7; time 0.1 and combine are dropped).
#
# v0.2.8-bench.patch adapts the crate to those versions and to current
# rustc, and nothing in the JIT's code generation:
#   - the assembler, its parser and the fuzzer are not compiled (combine);
#   - hash32 0.3's API; time::precise_time_ns by std::time;
#   - three spots that are undefined behaviour under current rustc and
#     made the release build miscompile (a panic in JitCompiler::new):
#     an uninitialised pointer given to posix_memalign, unaligned writes
#     of code bytes, and reading an enum's kind word from its memory;
#   - the JIT reads and writes results in the layout rustc used in 2021
#     ([is_err, value or kind, pc, ...]): execute_program_jit now passes a
#     plain buffer and decodes Ok(r0) from it (errors are not decoded),
#     and memory accesses call MemoryMapping::map through a shim that
#     writes [is_err, host address] (one more call level per access);
#   - RBPF_DUMP=FILE writes the compiled code (and FILE.pcs, each slot's
#     offset) for objdump -D -b binary -mi386:x86-64.
set -e
src=$1
here=$(cd "$(dirname "$0")" && pwd)
cd "$src"
patch -p1 < "$here/v0.2.8-bench.patch"
rm -rf benches tests examples cli Cargo.lock
mkdir -p .cargo examples
cat > .cargo/config.toml <<'CFG'
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "/usr/share/cargo/registry"
[net]
offline = true
CFG
cp "$here/bench.rs" examples/bench.rs
cargo build --release --example bench
