package apitest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/inspect"
)

func elfCases() []testCase {
	return []testCase{
		{"elf document", func(t *testing.T, tg Target, _ Limits) {
			for _, name := range []string{"relative_call.so", "noop.so", "scratch_registers.so"} {
				data := readTestdata(t, filepath.Join("elfs", name))
				resp := tg.Do(t, http.MethodPost, "/api/elf", map[string]string{"elf": base64.StdEncoding.EncodeToString(data)})
				if resp.Status != http.StatusOK {
					t.Fatalf("%s: status %d: %.300s", name, resp.Status, resp.Body)
				}
				sameDocument(t, name, resp.Body, inspect.Build(data))
			}
		}},
		{"elf document of rejected files", func(t *testing.T, tg Target, _ Limits) {
			files, _ := filepath.Glob(filepath.Join(testdataDir(t), "elf", "hostile", "*.so"))
			for _, f := range files {
				data, _ := os.ReadFile(f)
				resp := tg.Do(t, http.MethodPost, "/api/elf", map[string]string{"elf": base64.StdEncoding.EncodeToString(data)})
				doc := inspect.Build(data)
				want := http.StatusUnprocessableEntity
				if doc.OK {
					want = http.StatusOK
				}
				if resp.Status != want {
					t.Errorf("%s: status %d, want %d", filepath.Base(f), resp.Status, want)
					continue
				}
				if !doc.OK {
					if msg := resp.ErrorText(t); !strings.HasPrefix(msg, "ELF error: ") {
						t.Errorf("%s: error %q", filepath.Base(f), msg)
					}
				}
				sameDocument(t, filepath.Base(f), resp.Body, doc)
			}
		}},
	}
}

// sameDocument checks the served JSON is the document `rbpf elf --json`
// prints (both come from core/inspect).
func sameDocument(t *testing.T, name string, got []byte, doc *inspect.Document) {
	t.Helper()
	want, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: answer is not JSON: %v", name, err)
	}
	_ = json.Unmarshal(want, &w)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: served document differs from core/inspect's:\n got %.400s\nwant %.400s", name, got, want)
	}
}
