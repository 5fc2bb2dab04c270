package elfbuild

import (
	"reflect"
	"strings"
	"testing"
)

func TestFromAssembly(t *testing.T) {
	s, err := FromAssembly(directivesSource)
	if err != nil {
		t.Fatal(err)
	}
	if string(s.ROData) != "ab\x00c" || s.Source != "t.s" || s.Layout != Compact {
		t.Fatalf("rodata %q source %q layout %v", s.ROData, s.Source, s.Layout)
	}
	checkSpec(t, s)
}

const directivesSource = `
.rodata a "ab"
.rodata b "\x00c"
.static helper
.relocate worker
.function spare
.source t.s
.layout compact
entrypoint:
    lddw r1, b
    call helper
    call worker
    call sol_log_
    exit
helper:
    exit
worker:
    exit
spare:
    exit
`

func checkSpec(t *testing.T, s *Spec) {
	t.Helper()
	if !reflect.DeepEqual(s.Loads, []Load{{PC: 0, Offset: 2}}) {
		t.Fatalf("loads %+v", s.Loads)
	}
	want := []Function{{Name: "entrypoint"}, {Name: "helper", PC: 6, Local: true}, {Name: "worker", PC: 7}, {Name: "spare", PC: 8}}
	if !reflect.DeepEqual(s.Functions, want) {
		t.Fatalf("functions %+v", s.Functions)
	}
	wantCalls := []Call{{PC: 2, Name: "helper"}, {PC: 3, Name: "worker", Relocate: true}, {PC: 4, Name: "sol_log_"}}
	if !reflect.DeepEqual(s.Calls, wantCalls) {
		t.Fatalf("calls %+v", s.Calls)
	}
	f, err := Build(*s)
	if err != nil {
		t.Fatal(err)
	}
	g, err := BuildAssembly(directivesSource)
	if err != nil || string(g.Bytes) != string(f.Bytes) {
		t.Fatalf("BuildAssembly: %v", err)
	}
}

func TestFromAssemblyErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"entrypoint:\n lddw r1, nothing\n exit", `line 2: lddw of "nothing"`},
		{".rodata x \"open\nentrypoint:\n exit", "line 1: .rodata x"},
		{".rodata x\nentrypoint:\n exit", "line 1: .rodata needs a name"},
		{".layout tiny\nentrypoint:\n exit", `unknown layout "tiny"`},
		{".function nowhere\nentrypoint:\n exit", ".function nowhere: no such label"},
		{"entrypoint:\n frobnicate r1\n exit", "frobnicate"},
	} {
		if _, err := FromAssembly(c.src); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.src, err, c.want)
		}
	}
}

func TestFromAssemblyWithoutEntrypointLabel(t *testing.T) {
	spec, err := FromAssembly("mov r0, 42\nexit")
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Functions) != 1 || spec.Functions[0] != (Function{Name: "entrypoint", PC: 0}) {
		t.Fatalf("functions %+v, want entrypoint at 0", spec.Functions)
	}
	if _, err := Build(*spec); err != nil {
		t.Fatalf("build: %v", err)
	}
}
