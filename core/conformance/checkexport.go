package conformance

import (
	"github.com/rbpfgo/rbpfgo/core/conformance/export"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// CheckExport runs a case written by export.Case as its suite runs it, on
// engine, with program as its ELF file (a runtime case checks its
// SHA-256), and lists where the outcome differs from the case's
// expectations: none means the case reproduces the run.
func CheckExport(text []byte, suite string, program []byte, engine vm.Engine) ([]string, error) {
	if suite != export.SuiteVM {
		c, err := ParseRuntime("exported", text)
		if err != nil {
			return nil, err
		}
		c.elfData = program
		rs, err := c.Run(engine)
		if err != nil {
			return nil, err
		}
		return c.Mismatches(rs), nil
	}
	c, err := Parse("exported", text)
	if err != nil {
		return nil, err
	}
	c.elfData = program
	o, err := Execute(engine, &c)
	if err != nil {
		return nil, err
	}
	return c.Mismatches(o), nil
}
