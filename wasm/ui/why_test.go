package ui

import (
	"strings"
	"testing"
)

// TestWhyFollowsAValue asks where r0 came from at the end of a run that
// stores a constant, loads it back and adds to it, then goes to the
// store.
func TestWhyFollowsAValue(t *testing.T) {
	a := NewApp(nil)
	a.Source = "entrypoint:\n    mov64 r1, 7\n    stxdw [r10-8], r1\n    mov64 r2, 1\n    ldxdw r3, [r10-8]\n    add64 r3, 5\n    mov64 r0, r3\n    exit\n"
	a.BuildSource()
	d := &a.Debug
	d.Why("r0")
	if d.why.Err == "" {
		t.Error("a question before the run started was answered")
	}
	d.Reset()
	d.Run()
	if !d.vm.Done() {
		t.Fatalf("the run did not end: %s", d.Status)
	}
	a.Act(regWhyName(0))
	if d.why.Err != "" || d.why.chain == nil {
		t.Fatalf("no answer: %q", d.why.Err)
	}
	page := string(d.WhyHTML())
	for _, want := range []string{"r0 after 7 instructions", "mov64 r0, r3", "add64 r3, 0x5", "ldxdw r3, [r10+0xfff8]", "stxdw [r10+0xfff8], r1", "frame 0, r10-0x8", "mov64 r1, 0x7"} {
		if !strings.Contains(page, want) {
			t.Errorf("the answer lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "mov64 r2") {
		t.Errorf("the answer names an instruction the value does not come from:\n%s", page)
	}
	// Go to the store: step 1 is the second instruction executed.
	a.Act("do:why-go:1")
	if d.vm.Executed() != 1 || d.vm.PC() != 1 {
		t.Errorf("go there: %d executed, at pc %d; want 1 and pc 1", d.vm.Executed(), d.vm.PC())
	}
	if !strings.Contains(string(d.WhyHTML()), "r0 after 7 instructions") {
		t.Error("going to a link dropped the answer")
	}
	a.ActChange("why", "0x200000ff8+8", false, "text")
	if d.why.Err != "" || !strings.Contains(string(d.WhyHTML()), "0x200000ff8") {
		t.Errorf("bytes by address: %q\n%s", d.why.Err, d.WhyHTML())
	}
	a.ActChange("why", "r11", false, "text")
	if d.why.Err == "" {
		t.Error("r11 was accepted")
	}
}
