package elfbuild

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/elf"
)

// FuzzBuildAssembly: any source either fails to build or builds a file that
// rbpf's parser accepts and that loads, except for relative calls written
// with raw offsets, which may point outside .text.
func FuzzBuildAssembly(f *testing.F) {
	srcs, _ := filepath.Glob("../../../testdata/elfs/*.s")
	for _, s := range srcs {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add(directivesSource)
	f.Fuzz(func(t *testing.T, src string) {
		file, err := BuildAssembly(src)
		if err != nil {
			return
		}
		if _, err := elf.Inspect(file.Bytes); err != nil {
			t.Fatalf("built file does not parse: %v", err)
		}
		if _, err := elf.Load(file.Bytes); err != nil {
			var e *elf.Error
			if !errors.As(err, &e) || e.Kind != elf.RelativeJumpOutOfBounds {
				t.Fatalf("built file does not load: %v", err)
			}
		}
	})
}
