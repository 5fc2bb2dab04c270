// Package export writes a run as a case of the conformance suites, so
// that a failing run found in the CLI or the playground joins them as
// data. [Case] picks the suite by the run: a run with an instruction
// becomes a case of the runtime suite (testdata/runtime/README.md: the
// program as program.s when it is assembly, or a real ELF file named by
// file name and SHA-256 as testdata/realprograms names them), any other
// run a case of the VM suite (testdata/conformance/README.md). The run's
// outcome is the case's expectation.
//
// The package only writes text; core/conformance parses and runs the
// cases (its CheckExport runs an exported case as its suite does). It is
// apart from core/conformance so that the playground can write cases
// without linking the test harness.
package export
