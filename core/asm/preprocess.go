package asm

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// labelDef is a `name:` definition found in the source.
type labelDef struct {
	name   string
	offset int // byte offset in the preprocessed text
	line   int
	col    int
}

// preprocess removes the extensions that live outside instructions, comments
// and label definitions, by overwriting each of their characters with a
// space. Lines and columns of everything else stay where they were, so the
// v0.2.8 grammar then sees exactly the rest of the text.
func preprocess(src string) (string, []labelDef, error) {
	var out strings.Builder
	out.Grow(len(src))
	var labels []labelDef
	seen := map[string]labelDef{}
	n := 0
	for line := range strings.SplitAfterSeq(src, "\n") {
		n++
		line, nl := strings.CutSuffix(line, "\n")
		code, comment := splitComment(line)
		start := out.Len()
		rest, defs, err := stripLabels(code, n)
		if err != nil {
			return "", nil, err
		}
		out.WriteString(rest)
		out.WriteString(blank(comment))
		if nl {
			out.WriteByte('\n')
		}
		for _, d := range defs {
			if first, dup := seen[d.name]; dup {
				return "", nil, &Error{Kind: ExtensionError, Line: d.line, Column: d.col,
					Msg: fmt.Sprintf("label %q is already defined on line %d", d.name, first.line)}
			}
			d.offset += start
			seen[d.name] = d
			labels = append(labels, d)
		}
	}
	return out.String(), labels, nil
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

// stripLabels blanks the `name:` definitions at the start of a line and
// returns them with their offsets within the line.
func stripLabels(code string, line int) (string, []labelDef, error) {
	if !strings.Contains(code, ":") {
		return code, nil, nil
	}
	var defs []labelDef
	b := []byte(code)
	i := 0
	for {
		for i < len(b) && b[i] < utf8.RuneSelf && unicode.IsSpace(rune(b[i])) {
			i++
		}
		j := i
		for j < len(b) && isNameChar(rune(b[j])) && (j > i || isNameStart(rune(b[j]))) {
			j++
		}
		if j == i || j >= len(b) || b[j] != ':' {
			return string(b), defs, nil
		}
		name := string(b[i:j])
		col := utf8.RuneCount(b[:i]) + 1
		if looksLikeRegister(name) {
			return "", nil, &Error{Kind: ExtensionError, Line: line, Column: col,
				Msg: fmt.Sprintf("label %q looks like a register", name)}
		}
		defs = append(defs, labelDef{name: name, offset: i, line: line, col: col})
		for k := i; k <= j; k++ {
			b[k] = ' '
		}
		i = j + 1
	}
}

// blank replaces every character of s with one space.
func blank(s string) string {
	return strings.Repeat(" ", utf8.RuneCountInString(s))
}
