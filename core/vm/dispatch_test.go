package vm

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// searchCost models how many branches are taken to reach each of n dense
// case values in the binary search Go emits for a switch without a jump
// table (cmd/compile/internal/walk/switch.go binarySearch): the lower half
// is laid out first, so going right costs a jump, and ranges of fewer than
// four values become a chain of equality tests where each failed test
// jumps to the next.
func searchCost(n int) []int {
	cost := make([]int, n)
	var do func(lo, hi, taken int)
	do = func(lo, hi, taken int) {
		if hi-lo < 4 {
			for i := lo; i < hi; i++ {
				cost[i] = taken + i - lo
			}
			return
		}
		half := lo + (hi-lo)/2
		do(lo, half, taken)
		do(half, hi, taken+1)
	}
	do(0, n, 0)
	return cost
}

// TestDispatchCodes checks the dispatch codes: they are exactly 0..n-1,
// declared in order of non-decreasing search cost with that cost in their
// comment, every executed opcode and pseudo-opcode has one, and every other
// opcode dispatches to the default case.
func TestDispatchCodes(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "dispatch.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	type decl struct {
		name       string
		value      int
		commentSay int
	}
	var decls []decl
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || !strings.HasPrefix(vs.Names[0].Name, "x") || vs.Names[0].Name == "xUnsupported" {
			return true
		}
		lit := vs.Values[0].(*ast.BasicLit)
		v, _ := strconv.Atoi(lit.Value)
		text := strings.Fields(vs.Comment.Text())
		say, _ := strconv.Atoi(text[0])
		decls = append(decls, decl{vs.Names[0].Name, v, say})
		return true
	})
	n := len(decls)
	if n != xUnsupported {
		t.Fatalf("%d codes, xUnsupported = %d", n, xUnsupported)
	}
	cost := searchCost(n)
	seen := make([]bool, n)
	for i, d := range decls {
		if d.value < 0 || d.value >= n || seen[d.value] {
			t.Fatalf("%s = %d: not a free code in 0..%d", d.name, d.value, n-1)
		}
		seen[d.value] = true
		if cost[d.value] != d.commentSay {
			t.Errorf("%s = %d costs %d taken branches, the comment says %d", d.name, d.value, cost[d.value], d.commentSay)
		}
		if i > 0 && cost[d.value] < cost[decls[i-1].value] {
			t.Errorf("%s is cheaper than %s, declared before it", d.name, decls[i-1].name)
		}
	}
	for op := range 256 {
		code := dispatchOf[op]
		executed := ebpf.OpCode(op).Executed() && ebpf.OpCode(op) != ebpf.CallImm
		switch ebpf.OpCode(op) {
		case opCallSyscall, opCallFunction, opCallUnresolved, opBadRegister, opLddwTruncated:
			executed = true
		}
		if executed != (code < xUnsupported) {
			t.Errorf("opcode %#02x: dispatch code %d", op, code)
		}
	}
}
