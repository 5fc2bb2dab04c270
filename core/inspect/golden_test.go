package inspect

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden compares the text and JSON documents of the committed ELF
// fixtures with golden files; run with -update after an intended change
// and review the diff.
func TestGolden(t *testing.T) {
	for _, name := range []string{"relative_call", "noro", "unresolved_syscall"} {
		d := Build(fixture(t, name+".so"))
		var text bytes.Buffer
		if err := d.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", name+".txt")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, text.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(text.Bytes(), want) {
			t.Errorf("%s: text differs from %s (go test -update rewrites it):\n%s", name, golden, text.String())
		}
	}
}
