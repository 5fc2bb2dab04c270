// Package progen generates random eBPF programs, and the set-up to run
// them, from fuzz bytes: Generate throws every opcode at an engine, and
// GenerateDeep writes long programs of loops, calls, memory accesses and
// syscalls that run deep. The JIT's and the compiled tier's differential
// tests and fuzz targets run a Case on their engine and on the
// interpreter and compare the two Outcomes with Differ; their benchmarks
// build benchprog's programs with BenchExecutable.
package progen
