package prerender

import (
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/wasm/ui"
)

// TestFirstView checks that the prerendered view is the Load view as the
// program draws it: the mount point, the tabs, the load cards' region
// filled with what the program puts there, and the editor's text.
func TestFirstView(t *testing.T) {
	got, err := FirstView()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, `<div id="`+MountID+`" class="app">`) {
		t.Errorf("the view does not start with the mount point: %.80q", got)
	}
	cards := ui.NewApp(nil).RegionsHTML("load")["load-cards"]
	for _, want := range []string{
		`id="tab-load"`, `class="tab active" id="tab-load"`, `id="tab-debug"`,
		`id="example-relative_calls"`, `name="do:example:relative_calls"`,
		`id="asm-src"`, "entrypoint:", `id="build-run"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the first view lacks %q", want)
		}
	}
	if cards == "" || !strings.Contains(got, "Drop a Solana program") {
		t.Errorf("the load cards' region is not filled (%d bytes of cards)", len(cards))
	}
	if strings.Count(got, "<textarea") != 1 || strings.Contains(got, "<script") {
		t.Errorf("unexpected elements in the first view")
	}
}
