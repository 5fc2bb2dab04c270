package elf

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden relocation logs in testdata/elf/log")

// TestGoldenLogs pins the JSON of the log that the CLI and the playground
// render: two fixtures and two rejected files. Run with -update after an
// intended change and review the diff.
func TestGoldenLogs(t *testing.T) {
	inputs := map[string]string{
		"relative_call": "../../testdata/elfs/relative_call.so",
		"multiple_file": "../../testdata/elfs/multiple_file.so",
		"reloc_type_1":  "../../testdata/elf/hostile/reloc_type_1.so",
		"wrong_machine": "../../testdata/elf/hostile/wrong_machine.so",
	}
	for name, path := range inputs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, l, _ := LoadWithLog(data)
		got, err := json.MarshalIndent(l, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		golden := filepath.Join("../../testdata/elf/log", name+".json")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: log differs from %s (run go test ./core/elf -run GoldenLogs -update)", name, golden)
		}
	}
}
