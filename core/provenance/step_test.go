package provenance

import (
	"reflect"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/profile"
	"github.com/rbpfgo/rbpfgo/core/runspec"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// mixed loads, stores, calls a function and a syscall in a loop.
const mixed = `
    mov64 r6, 0
loop:
    stxb [r10-1], r6
    mov64 r1, r6
    call fn
    ldxb r7, [r10-1]
    add64 r7, r0
    stxdw [r10-16], r7
    mov64 r1, r10
    add64 r1, -16
    mov64 r2, 3
    call 1
    add64 r6, 1
    jlt r6, 5, loop
    ldxdw r0, [r10-16]
    exit
fn:
    stxdw [r10-8], r1
    ldxdw r0, [r10-8]
    lsh64 r0, 1
    exit`

func mixedSpec() *runspec.Spec {
	s := asmSpec(mixed, nil)
	s.Syscalls = []runspec.Binding{{Key: "1", Name: "bpf_mem_frob"}}
	return s
}

// newVM builds spec's VM, ready at the entrypoint.
func newVM(t testing.TB, spec *runspec.Spec, watches []vm.Watch) *vm.VM {
	t.Helper()
	b, err := spec.Build()
	if err != nil {
		t.Fatal(err)
	}
	p := b.Prepare()
	p.Options.Watches = watches
	m, err := vm.New(b.Exe, p.Options)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// log is what a recording holds, for comparing recordings.
func log(r *Recorder) []any {
	return []any{r.pcs, r.memAt, r.memAdr, r.sys, r.writes, r.failed}
}

func TestSteppingInPiecesRecordsTheSame(t *testing.T) {
	ref, res, _ := recorded(t, mixedSpec())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want, _ := ref.Why(res.Executed, Reg(0), Limits{})
	if want.Truncated || len(want.Links) < 10 {
		t.Fatalf("the reference chain:\n%s", want.Text())
	}
	for _, c := range []struct {
		name    string
		n       int
		watches []vm.Watch
		prof    bool
	}{
		{"one at a time", 1, nil, false},
		{"three at a time", 3, nil, false},
		{"stopped by watches", 1000, []vm.Watch{{Addr: 0x200000fff, Len: 1, Kind: vm.WatchAny}}, false},
		{"through core/profile", 2, nil, true},
	} {
		m := newVM(t, mixedSpec(), c.watches)
		var opts Options
		if c.prof {
			p, err := profile.NewRecorder(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			opts.Step = p.Step
		}
		r, err := NewRecorder(m, opts)
		if err != nil {
			t.Fatal(err)
		}
		for !m.Done() {
			r.Step(c.n)
		}
		if !reflect.DeepEqual(log(r), log(ref)) {
			t.Errorf("%s: the recording differs", c.name)
		}
		got, _ := r.Why(m.Executed(), Reg(0), Limits{})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the chain differs:\n%s", c.name, got.Text())
		}
		// A query in the middle, then the rest, gives the same answers
		// as querying a finished recording.
		m = newVM(t, mixedSpec(), nil)
		r, _ = NewRecorder(m, Options{})
		r.Step(40)
		mid, _ := r.Why(40, Reg(7), Limits{})
		for !m.Done() {
			r.Step(7)
		}
		if full, _ := ref.Why(40, Reg(7), Limits{}); !reflect.DeepEqual(mid, full) {
			t.Errorf("r7 after 40 asked at 40:\n%sand at the end:\n%s", mid.Text(), full.Text())
		}
		if end, _ := r.Why(m.Executed(), Reg(0), Limits{}); !reflect.DeepEqual(end, want) {
			t.Errorf("r0 at the end after a query in the middle:\n%s", end.Text())
		}
	}
}

func TestRecordingStartedLate(t *testing.T) {
	m := newVM(t, asmSpec("mov64 r2, 5\nmov64 r3, r2\nstxdw [r10-8], r3\nmov64 r4, r2\nldxdw r0, [r10-8]\nexit", nil), nil)
	m.Step(3)
	r, err := NewRecorder(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Run()
	why(t, r, res.Executed, Reg(4), "copy r4 @3\n unrecorded r2\n")
	why(t, r, res.Executed, Reg(0), "load r0 @4\n unrecorded 0x200000ff8+8\n")
	if _, err := r.Why(2, Reg(0), Limits{}); err == nil {
		t.Error("a query before the recording answered")
	}
}

func TestMaxSteps(t *testing.T) {
	m := newVM(t, mixedSpec(), nil)
	r, _ := NewRecorder(m, Options{MaxSteps: 10})
	res := r.Run()
	if res.Err != nil || r.Steps() != 10 || res.Executed <= 10 {
		t.Fatalf("%d steps recorded of %d: %v", r.Steps(), res.Executed, res.Err)
	}
	if _, err := r.Why(10, Reg(1), Limits{}); err != nil {
		t.Error(err)
	}
	if _, err := r.Why(11, Reg(1), Limits{}); err == nil {
		t.Error("a query past the recording answered")
	}
}
