// Package conformance runs rbpf v0.2.8's own test programs, kept as data in
// testdata/conformance, on any vm.Engine and compares everything rbpf's
// tests compare: the return value or the exact error text, the instruction
// count, and the syscall log where it is recorded.
//
// [Load] parses a folder of case files (the format is described in
// testdata/conformance/README.md) into [Case] values: each is a
// runspec.Spec (program, input, budget, configuration, verifier, syscalls,
// functions) plus its stage, ELF fixture and expectations. A case is built
// and run through runspec ([Execute]), as the CLI, the server and the page
// run a request, so the suites check that path too. [Run] runs them as
// subtests. Run also
// checks that tracing is deterministic (two runs of one case give the same
// trace), and [CompareTraces] compares the traces of two engines the way
// rbpf's Tracer::compare does, so the JIT can be held to the interpreter.
//
// core/conformance/export goes the other way: it writes the case that
// reproduces a run (a failing one, typically) in the format of the suite
// it belongs to, and [CheckExport] runs such a case as its suite runs it,
// to show that it passes.
//
// Cases that need an ELF fixture which has not been built yet are skipped
// with a "pending:" message, never passed.
package conformance
