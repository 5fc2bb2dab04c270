package cfg

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func assemble(t testing.TB, src string) []byte {
	t.Helper()
	prog, err := asm.Assemble(src)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

type span struct{ start, end int }

func blockSpans(g *Graph) []span {
	var out []span
	for _, b := range g.Blocks {
		out = append(out, span{b.Start, b.End})
	}
	return out
}

func TestLoop(t *testing.T) {
	prog := assemble(t, `
    mov r1, 3              # 0
loop:
    sub r1, 1              # 1
    lddw r2, 0x100000000   # 2-3
    jne r1, 0, loop        # 4
    mov r0, 0              # 5
    exit                   # 6`)
	g := Build(prog, Options{})
	if want := []span{{0, 1}, {1, 5}, {5, 7}}; !reflect.DeepEqual(blockSpans(g), want) {
		t.Fatalf("blocks %v, want %v", blockSpans(g), want)
	}
	want := []Edge{
		{From: 0, To: 1, Kind: FallThrough, Target: 1},
		{From: 1, To: 2, Kind: FallThrough, Target: 5},
		{From: 1, To: 1, Kind: Taken, Target: 1},
	}
	if !reflect.DeepEqual(g.Edges, want) {
		t.Fatalf("edges %+v", g.Edges)
	}
	if len(g.Functions) != 1 || g.Functions[0].Name != "entrypoint" || len(g.Functions[0].Blocks) != 3 {
		t.Fatalf("functions %+v", g.Functions)
	}
	if g.BlockAt(3) != 1 || g.BlockAt(6) != 2 || g.BlockAt(7) != -1 || g.BlockAt(-1) != -1 {
		t.Fatal("BlockAt")
	}
}

func TestFunctionsAndCalls(t *testing.T) {
	p, err := asm.AssembleProgram(`
entrypoint:
    call helper      # 0
    call sol_log_    # 1
    callx 3          # 2
    call 77          # 3
    exit             # 4
helper:
    mov r0, 1        # 5
    ja done          # 6
done:
    exit             # 7`)
	if err != nil {
		t.Fatal(err)
	}
	helper := ebpf.HashSymbolName([]byte("helper"))
	logHash := ebpf.HashSymbolName([]byte("sol_log_"))
	g := Build(p.Bytes, Options{
		CallTargets: map[uint32]int{helper: p.Labels["helper"]},
		Syscalls:    map[uint32]string{logHash: "sol_log_"},
	})
	if len(g.Functions) != 2 || g.Functions[1].Start != 5 || g.Functions[1].Name != "function_5" {
		t.Fatalf("functions %+v", g.Functions)
	}
	if want := []span{{0, 5}, {5, 7}, {7, 8}}; !reflect.DeepEqual(blockSpans(g), want) {
		t.Fatalf("blocks %v", blockSpans(g))
	}
	want := []Call{
		{PC: 0, Block: 0, Imm: int32(helper), Target: 5, Name: "function_5"},
		{PC: 1, Block: 0, Imm: int32(logHash), Target: -1, Name: "sol_log_"},
		{PC: 2, Block: 0, Imm: 3, Reg: true, Target: -1},
		{PC: 3, Block: 0, Imm: 77, Target: -1},
	}
	if !reflect.DeepEqual(g.Calls, want) {
		t.Fatalf("calls %+v", g.Calls)
	}
	g = Build(p.Bytes, Options{Functions: map[int]string{5: "helper"}})
	if g.Functions[1].Name != "helper" || g.Calls[0].Target != -1 {
		t.Fatalf("named function: %+v %+v", g.Functions, g.Calls[0])
	}
}

// Jumps outside the program or into the middle of an lddw, and running off
// the end, become edges to nowhere.
func TestBrokenPrograms(t *testing.T) {
	prog := ebpf.Encode([]ebpf.Insn{
		{Opc: ebpf.JeqImm, Dst: 1, Off: 100}, // 0: taken edge leaves the program
		{Opc: ebpf.Ja, Off: 1},               // 1: into the second slot of the lddw
		{Opc: ebpf.LdDwImm, Dst: 1},          // 2-3
		{},                                   //
		{Opc: ebpf.Ja, Off: -10},             // 4: before the start
		{Opc: ebpf.Mov64Imm},                 // 5: falls off the end
	})
	g := Build(prog, Options{Entry: 99})
	var nowhere []int
	for _, e := range g.Edges {
		if e.To == -1 {
			nowhere = append(nowhere, e.Target)
		}
	}
	if want := []int{101, 3, -5, 6}; !reflect.DeepEqual(nowhere, want) {
		t.Fatalf("edges to nowhere %v (all: %+v)", nowhere, g.Edges)
	}
	if !strings.Contains(Dot(g, DotOptions{}), "outside [label=") {
		t.Fatal("no outside node")
	}

	// A truncated lddw at the end and an empty program.
	g = Build([]byte{0x18, 1, 0, 0, 1, 0, 0, 0}, Options{})
	if len(g.Blocks) != 1 || g.Blocks[0].End != 1 {
		t.Fatalf("truncated lddw: %+v", g.Blocks)
	}
	g = Build(nil, Options{})
	if len(g.Blocks) != 0 || len(g.Functions) != 0 || Dot(g, DotOptions{}) == "" {
		t.Fatalf("empty program: %+v", g)
	}
}

func TestDot(t *testing.T) {
	prog := assemble(t, "mov r1, 2\nloop: sub r1, 1\njne r1, 0, loop\nexit")
	g := Build(prog, Options{})
	trace := []int{0, 1, 2, 1, 2, 3}
	out := Dot(g, DotOptions{Name: "demo", Profile: ProfileTrace(trace, 4)})
	for _, want := range []string{
		"digraph \"demo\" {\n",
		"  subgraph cluster_0 {\n    label=\"entrypoint\";\n",
		`    b0 [label="executed 1\l       1      0 #29     mov64 r1, 0x2\l"];`,
		`    b1 [label="executed 2\l       2      1 #30     sub64 r1, 0x1\l       2      2 #31     jne r1, 0x0, -2\l"];`,
		`  b1 -> b2 [label="fallthrough 1", style=dashed];`,
		`  b1 -> b1 [label="taken 1"];`,
		`  b0 -> b1 [label="fallthrough 1", style=dashed];`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	plain := Dot(g, DotOptions{})
	if !strings.Contains(plain, `b2 [label="    3 #32     exit\l"];`) || strings.Contains(plain, "executed") {
		t.Errorf("plain dot:\n%s", plain)
	}
}

func FuzzBuild(f *testing.F) {
	f.Add([]byte{0x15, 1, 100, 0, 0, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0})
	f.Add(assemble(f, "a: call 1\nja a\nexit"))
	f.Fuzz(func(t *testing.T, prog []byte) {
		g := Build(prog, Options{Entry: 1, CallTargets: map[uint32]int{1: 2, 2: 1000}})
		seen := 0
		for id, b := range g.Blocks {
			if b.ID != id || len(b.Lines) == 0 || b.Start >= b.End {
				t.Fatalf("bad block %+v", b)
			}
			for _, i := range b.Lines {
				if i != seen {
					t.Fatalf("line %d out of order in block %d", i, id)
				}
				seen++
			}
		}
		if seen != len(g.Insns) {
			t.Fatalf("blocks cover %d of %d lines", seen, len(g.Insns))
		}
		for _, e := range g.Edges {
			if e.From < 0 || e.From >= len(g.Blocks) || e.To >= len(g.Blocks) || (e.To >= 0 && g.Blocks[e.To].Start != e.Target) {
				t.Fatalf("bad edge %+v", e)
			}
		}
		_ = Dot(g, DotOptions{Profile: ProfileTrace([]int{0, 1, 5, -3}, g.Slots)})
		a := Analyze(prog, Options{Entry: 1, CallTargets: map[uint32]int{1: 2, 2: 1000}})
		if len(a.Insns) != len(g.Insns) {
			t.Fatalf("analysis has %d instructions, graph %d", len(a.Insns), len(g.Insns))
		}
		_ = a.Disassembly() + a.Profile([]int{0, 1, 2, 1, -1, 7})
	})
}

// TestDotDemangles checks that clusters are labelled with demangled names
// and carry the raw symbol name as their tooltip.
func TestDotDemangles(t *testing.T) {
	const legacy = "_ZN9spl_token9processor9Processor7process17h1b9ba2b5dfcdbeacE"
	prog := assemble(t, "mov r0, 0\nexit\nmov r0, 1\nexit")
	g := Build(prog, Options{Functions: map[int]string{2: legacy}})
	if g.Functions[1].Name != legacy {
		t.Errorf("graph keeps %q, want the raw name", g.Functions[1].Name)
	}
	out := Dot(g, DotOptions{})
	for _, want := range []string{
		"  subgraph cluster_0 {\n    label=\"entrypoint\";\n    b0",
		"  subgraph cluster_1 {\n    label=\"spl_token::processor::Processor::process\";\n    tooltip=\"" + legacy + "\";\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

// TestDotStyle checks the hook core/profile colours blocks with: a heading
// line above the instructions and a fill colour, only where given.
func TestDotStyle(t *testing.T) {
	g := Build(assemble(t, "mov r1, 2\nloop: sub r1, 1\njne r1, 0, loop\nexit"), Options{})
	out := Dot(g, DotOptions{Style: func(b Block) BlockStyle {
		if b.ID != 1 {
			return BlockStyle{}
		}
		return BlockStyle{Heading: `4 "CU"`, Fill: "#fc9272"}
	}})
	for _, want := range []string{
		`    b0 [label="    0 #29     mov64 r1, 0x2\l"];`,
		`    b1 [label="4 \"CU\"\l    1 #30     sub64 r1, 0x1\l    2 #31     jne r1, 0x0, -2\l", style=filled, fillcolor="#fc9272"];`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}
