package asm

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestLineLengthLimit(t *testing.T) {
	long := "mov r0, 1 " + strings.Repeat(" ", MaxLineBytes)
	for _, c := range []struct {
		src  string
		line int
	}{
		{long, 1},
		{"exit\n" + long + "\nexit", 2},
		{"exit\n# " + strings.Repeat("é", MaxLineBytes), 2},
		{strings.Repeat("a:", MaxLineBytes), 1},
	} {
		_, err := Assemble(c.src)
		var ae *Error
		if !errors.As(err, &ae) || ae.Kind != ExtensionError || ae.Line != c.line ||
			!strings.Contains(ae.Msg, "longer than 4096 bytes") {
			t.Errorf("%.20q...: got %v, want the line limit on line %d", c.src, err, c.line)
		}
	}
	// Exactly at the limit, with and without a final newline.
	ok := "exit" + strings.Repeat(" ", MaxLineBytes-4)
	for _, src := range []string{ok, ok + "\n", ok + "\r\n"[1:], "exit\n" + ok} {
		if _, err := Assemble(src); err != nil {
			t.Errorf("a line of %d bytes: %v", MaxLineBytes, err)
		}
	}
}

// TestFirstErrorWins: an encoding error is reported for the first statement
// that has one, and a syntax error anywhere wins over it, as in v0.2.8,
// whose parser reads the whole text before anything is encoded.
func TestFirstErrorWins(t *testing.T) {
	junk := strings.Repeat("foo bar baz\n", 1000)
	for src, want := range map[string]string{
		junk:                        `line 1, column 1: Invalid instruction "foo"`,
		"exit\n" + junk:             `line 2, column 1: Invalid instruction "foo"`,
		junk + "mov r0, !":          "line 1001, column 9: unexpected '!'",
		"exit\nja nowhere\n" + junk: `line 2, column 4: undefined label "nowhere"`,
	} {
		_, err := Assemble(src)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%.30q: got %v, want %q", src, err, want)
		}
	}
}

// TestAssembleMemoryBound checks what the assembler allocates in all for
// sources meant to make it work: at most 8 bytes per byte of source
// (counted by the runtime, so it is exact and not a timing), except for a
// source of nothing but labels, whose map costs 12 at most.
func TestAssembleMemoryBound(t *testing.T) {
	for name, src := range map[string]string{
		"junk":                       strings.Repeat("foo bar baz\n", 100000),
		"exits":                      strings.Repeat("exit\n", 200000),
		"ja":                         strings.Repeat(strings.Repeat("ja+0", 1000)+"\n", 200),
		"calls":                      strings.Repeat("call a\n", 100000),
		"dense labels":               denseLabels(100000),
		"late parse error":           strings.Repeat("mov r0, 1\n", 100000) + "mov r0, !",
		"late parse error, one line": strings.Repeat("exit ", 800) + "!",
		"labels and jumps":           labelsAndJumps(20000),
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, _ = Assemble(src)
		runtime.ReadMemStats(&after)
		perByte := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(src))
		t.Logf("%s: %d bytes, %.1f bytes allocated per byte", name, len(src), perByte)
		limit := 8.0
		if name == "dense labels" {
			limit = 12
		}
		if perByte > limit {
			t.Errorf("%s: %.1f bytes allocated per source byte", name, perByte)
		}
	}
}

func labelsAndJumps(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("l")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(strings.Repeat("y", i/26%40))
		b.WriteString(":\nmov r0, 1\nadd r0, 2\nja +0\n")
	}
	return b.String()
}

// denseLabels defines n labels, as many per line as fit, and one exit.
func denseLabels(n int) string {
	var b strings.Builder
	line := 0
	for i := 0; i < n; i++ {
		name := strconv.FormatInt(int64(i), 36)
		if line+len(name)+3 > MaxLineBytes {
			b.WriteByte('\n')
			line = 0
		}
		b.WriteString("_" + name + ": ")
		line += len(name) + 3
	}
	b.WriteString("\nexit\n")
	return b.String()
}
