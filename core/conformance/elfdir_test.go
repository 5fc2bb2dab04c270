package conformance

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// TestELFCasesFromDir runs the ELF cases against the fixtures of another
// folder, looked up by file name, when CONFORMANCE_ELF_DIR names one (for
// example a local copy of upstream's tests/elfs at v0.2.8, to tell a bug
// in a fixture from a bug in the loader or the VM).
func TestELFCasesFromDir(t *testing.T) {
	dir := os.Getenv("CONFORMANCE_ELF_DIR")
	if dir == "" {
		t.Skip("CONFORMANCE_ELF_DIR not set")
	}
	var elfs []Case
	for _, c := range mustLoad(t) {
		if c.Spec.Kind == runspec.KindELF {
			c.ELFFile = filepath.Join(dir, filepath.Base(c.ELFPath))
			elfs = append(elfs, c)
		}
	}
	Run(t, interpreter, elfs)
}
