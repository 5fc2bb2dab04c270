package asm

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// labelDef is a `name:` definition found in the source.
type labelDef struct {
	name   string // a substring of the source
	offset int32  // byte offset in the preprocessed text
	line   int32
}

// preprocess removes the extensions that live outside instructions, comments
// and label definitions, by overwriting each of their characters with a
// space. Lines and columns of everything else stay where they were, so the
// v0.2.8 grammar then sees exactly the rest of the text.
//
// It returns the text, the label definitions in order, and a map from each
// label to its index in them (which the assembler then reuses for the
// labels' slots). Both are sized by a first count of the definitions, and
// names are substrings of src: a source made of labels costs about 40
// bytes per label beyond the text.
//
// A line longer than MaxLineBytes is an error, before anything else is
// done with the source.
func preprocess(src string) (string, []labelDef, map[string]int, error) {
	if err := checkLineLengths(src); err != nil {
		return "", nil, nil, err
	}
	n := 0
	for line := range strings.SplitSeq(src, "\n") {
		code, _ := splitComment(line)
		for i, _, ok := nextLabel(code, 0); ok; i, _, ok = nextLabel(code, i) {
			n++
		}
	}
	var out strings.Builder
	out.Grow(len(src))
	ls := labels{defs: make([]labelDef, 0, n), seen: make(map[string]int, n)}
	lineNo := 0
	for line := range strings.SplitAfterSeq(src, "\n") {
		lineNo++
		line, nl := strings.CutSuffix(line, "\n")
		code, comment := splitComment(line)
		k, err := ls.add(code, lineNo, out.Len())
		if err != nil {
			return "", nil, nil, err
		}
		for i := 0; i < k; i++ {
			if c := code[i]; c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' {
				out.WriteByte(c)
			} else {
				out.WriteByte(' ')
			}
		}
		out.WriteString(code[k:])
		writeBlank(&out, comment)
		if nl {
			out.WriteByte('\n')
		}
	}
	return out.String(), ls.defs, ls.seen, nil
}

// labels collects the definitions.
type labels struct {
	defs []labelDef
	seen map[string]int // index in defs
}

// add records the definitions at the start of code, line lineNo, which
// starts at offset start of the text, and returns how many bytes they take.
func (ls *labels) add(code string, lineNo, start int) (int, error) {
	end := 0
	for next, i, ok := nextLabel(code, 0); ok; next, i, ok = nextLabel(code, next) {
		name := code[i : next-1]
		// The prefix is ASCII, so the column is the byte offset + 1.
		if looksLikeRegister(name) {
			return 0, &Error{Kind: ExtensionError, Line: lineNo, Column: i + 1,
				Msg: fmt.Sprintf("label %q looks like a register", name)}
		}
		if first, dup := ls.seen[name]; dup {
			return 0, &Error{Kind: ExtensionError, Line: lineNo, Column: i + 1,
				Msg: fmt.Sprintf("label %q is already defined on line %d", name, ls.defs[first].line)}
		}
		ls.seen[name] = len(ls.defs)
		ls.defs = append(ls.defs, labelDef{name: name, offset: int32(start + i), line: int32(lineNo)})
		end = next
	}
	return end, nil
}

// nextLabel finds the `name:` definition that starts at byte from of a
// line (without its comment), after whitespace: ok reports one, i is where
// its name starts and next the byte after its colon. Definitions may only
// begin a line, one after another.
func nextLabel(code string, from int) (next, i int, ok bool) {
	i = from
	for i < len(code) && code[i] < utf8.RuneSelf && unicode.IsSpace(rune(code[i])) {
		i++
	}
	j := i
	for j < len(code) && isNameChar(rune(code[j])) && (j > i || isNameStart(rune(code[j]))) {
		j++
	}
	if j == i || j >= len(code) || code[j] != ':' {
		return 0, 0, false
	}
	return j + 1, i, true
}

// writeBlank writes one space for every character of s.
func writeBlank(b *strings.Builder, s string) {
	for range utf8.RuneCountInString(s) {
		b.WriteByte(' ')
	}
}

// MaxLineBytes is the longest source line the assembler accepts, newline
// excluded. rbpf v0.2.8 has no such limit; it bounds the size of every
// token and of every error message quoting one.
const MaxLineBytes = 4096

// checkLineLengths reports the first line longer than MaxLineBytes, and
// refuses sources of 2 GiB or more (offsets are kept in 32 bits).
func checkLineLengths(src string) error {
	if len(src) > math.MaxInt32 {
		return &Error{Kind: ExtensionError, Line: 1, Column: 1, Msg: "the source is 2 GiB or more"}
	}
	line := 1
	for len(src) > 0 {
		i := strings.IndexByte(src, '\n')
		if i < 0 {
			i = len(src)
		}
		if i > MaxLineBytes {
			return &Error{Kind: ExtensionError, Line: line, Column: utf8.RuneCountInString(src[:MaxLineBytes]) + 1,
				Msg: fmt.Sprintf("the line is longer than %d bytes", MaxLineBytes)}
		}
		if i < len(src) {
			i++
		}
		src = src[i:]
		line++
	}
	return nil
}

// splitComment splits a line (without its newline) at the first `#`, `;`
// or `//`.
func splitComment(line string) (code, comment string) {
	i := strings.IndexAny(line, "#;")
	if j := strings.Index(line, "//"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return line, ""
	}
	return line[:i], line[i:]
}
