package ui

import (
	"strings"
	"testing"
)

// watchSource stores to the same stack slot three times, between other
// instructions; r10-8 is 0x200000ff8 in the first frame.
const watchSource = `entrypoint:
    mov64 r1, 1
    stxdw [r10-8], r1
    mov64 r1, 2
    mov64 r2, 3
    stxdw [r10-8], r1
    ldxdw r3, [r10-8]
    stxdw [r10-16], r2
    stxdw [r10-8], r2
    mov64 r0, 0
    exit
`

// TestWatchStopsAndGoesBack runs to each write of a watched stack slot,
// then goes back to before each of them.
func TestWatchStopsAndGoesBack(t *testing.T) {
	a := NewApp(nil)
	a.Source = watchSource
	a.BuildSource()
	d := &a.Debug
	d.Reset()
	if a.View != "debug" || d.vm == nil {
		t.Fatalf("the source did not open in the debugger: view %q, err %q %q", a.View, a.Err, d.Err)
	}
	d.SetWatch("0x200000ff8+8")
	if d.W.Err != "" {
		t.Fatal(d.W.Err)
	}
	for _, want := range []uint64{2, 5, 8} {
		d.Run()
		if got := d.vm.Executed(); got != want {
			t.Fatalf("run stopped after %d instructions, want %d (the write): %s", got, want, d.Status)
		}
		if !strings.Contains(d.Status, "wrote 8 bytes at 0x200000ff8") {
			t.Errorf("status %q does not describe the write", d.Status)
		}
	}
	d.Run()
	if !d.vm.Done() {
		t.Fatalf("the run did not end after the last write: %s", d.Status)
	}
	if !strings.HasPrefix(d.WatchInfo(), "3 hits so far") {
		t.Errorf("watch info %q", d.WatchInfo())
	}
	for _, want := range []uint64{7, 4, 1} {
		d.PrevHit()
		if got := d.vm.Executed(); got != want {
			t.Fatalf("previous hit went to %d instructions executed, want %d: %s", got, want, d.Status)
		}
		if pc, wantPC := d.vm.PC(), int(want); pc != wantPC {
			t.Errorf("previous hit is at pc %d, want the writing instruction at pc %d", pc, wantPC)
		}
	}
	d.PrevHit()
	if d.vm.Executed() != 1 || d.Status != "no watch hit before this point" {
		t.Errorf("before the first hit: %d executed, status %q", d.vm.Executed(), d.Status)
	}

	d.SetWatch("0x200000ff8+8:r")
	a.Debug.Reset()
	d.Run()
	if got := d.vm.Executed(); got != 6 || !strings.Contains(d.Status, "read 8 bytes") {
		t.Errorf("a read watch stopped after %d instructions (want 6, the load): %s", got, d.Status)
	}
	d.SetWatch("accounts[0].data")
	if d.W.Err == "" {
		t.Error("a field name was accepted in a bare run, which has no instruction document")
	}
	d.SetWatch("")
	d.Run()
	if !d.vm.Done() {
		t.Errorf("with the watch field emptied, the run stopped: %s", d.Status)
	}
}
