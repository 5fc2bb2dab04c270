package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// fakeHost records what the app asks of the browser.
type fakeHost struct {
	logs      []string
	frag      string
	downloads []download
}

func (h *fakeHost) Now() float64                                      { return 0 }
func (h *fakeHost) SetFragment(f string)                              { h.frag = f }
func (h *fakeHost) Fetch(string, string, []byte) (int, []byte, error) { return 0, nil, nil }
func (h *fakeHost) Yield()                                            {}
func (h *fakeHost) AfterPaint()                                       {}
func (h *fakeHost) Log(m string)                                      { h.logs = append(h.logs, m) }
func (h *fakeHost) Download(name string, data []byte) {
	h.downloads = append(h.downloads, download{name, data})
}

type download struct {
	name string
	data []byte
}

func TestRecoverTurnsPanicIntoBanner(t *testing.T) {
	h := &fakeHost{}
	a := NewApp(h)
	func() {
		defer a.Recover("test handler")
		var m map[string]int
		m["x"]++ // panics: assignment to entry in nil map
	}()
	if !strings.Contains(a.Err, "test handler") || !strings.Contains(a.Err, "nil map") {
		t.Fatalf("Err = %q", a.Err)
	}
	if len(h.logs) != 1 || !strings.Contains(h.logs[0], "goroutine") {
		t.Fatalf("no stack trace logged: %q", h.logs)
	}
}

func TestHashPanelMatchesCore(t *testing.T) {
	a := NewApp(&fakeHost{})
	for _, name := range []string{"", "a", "sol_log_", "entrypoint", "abcdefgh"} {
		a.Hash.SetInput(name)
		if a.Hash.Hash != ebpf.HashSymbolName([]byte(name)) {
			t.Errorf("%q: hash %#x", name, a.Hash.Hash)
		}
		// The written-out computation ends in the hash itself.
		if last, want := a.Hash.Rows[len(a.Hash.Rows)-1].Value, fmt.Sprintf("0x%08x", a.Hash.Hash); last != want {
			t.Errorf("%q: last step %s, hash %s", name, last, want)
		}
	}
	a.Hash.SetMode("pc")
	a.Hash.SetInput("0x10")
	if a.Hash.Hash != ebpf.HashPC(16) || a.Hash.Key != "10 00 00 00 00 00 00 00" {
		t.Errorf("pc 16: hash %#x key %q", a.Hash.Hash, a.Hash.Key)
	}
	a.Hash.SetInput("ten")
	if a.Hash.Err == "" || a.Hash.Done {
		t.Errorf("bad pc accepted: %+v", a.Hash)
	}
}

func TestLoadFileRefusesLargeFiles(t *testing.T) {
	a := NewApp(&fakeHost{})
	a.LoadFile("big.so", make([]byte, MaxFileSize+1))
	if a.Prog != nil || !strings.Contains(a.Err, "big.so is 4.0 MB") {
		t.Fatalf("Prog %v, Err %q", a.Prog, a.Err)
	}
}
