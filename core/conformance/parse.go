package conformance

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/conformance/export"
	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// section is one `-- name --` part of a txtar file.
type section struct {
	name string
	line int // line number of the marker
	body string
}

// splitTxtar separates the header from the sections. A marker line is
// exactly "-- NAME --".
func splitTxtar(data string) (header []string, sections []section) {
	lines := strings.Split(data, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	cur := -1
	var body []string
	flush := func() {
		if cur >= 0 {
			sections[cur].body = strings.Join(body, "\n")
		}
		body = nil
	}
	for i, l := range lines {
		if name, ok := export.Marker(l); ok {
			flush()
			sections = append(sections, section{name: name, line: i + 1})
			cur = len(sections) - 1
			continue
		}
		if cur < 0 {
			header = append(header, l)
		} else {
			body = append(body, l)
		}
	}
	flush()
	return header, sections
}

// Parse parses one case file; file names it in errors.
func Parse(file string, data []byte) (Case, error) {
	c := Case{File: file, Stage: StageRun, Spec: runspec.Spec{NoDefaultSyscalls: true}}
	header, sections := splitTxtar(string(data))
	for i, l := range header {
		if err := c.setHeader(l); err != nil {
			return c, fmt.Errorf("%s:%d: %w", file, i+1, err)
		}
	}
	for _, s := range sections {
		if err := c.setSection(s); err != nil {
			return c, fmt.Errorf("%s:%d: section %q: %w", file, s.line, s.name, err)
		}
	}
	if err := c.validate(); err != nil {
		return c, fmt.Errorf("%s: %w", file, err)
	}
	return c, nil
}

func (c *Case) validate() error {
	x := &c.Expect
	switch {
	case c.Name == "":
		return fmt.Errorf("no name")
	case c.Spec.Kind == "":
		return fmt.Errorf("no program section (asm, bytes or elf)")
	case x.HasValue && x.HasError:
		return fmt.Errorf("both expect.value and expect.error")
	case c.Stage == StageRun && !x.HasValue && !x.HasError:
		return fmt.Errorf("a run case needs expect.value or expect.error")
	case len(c.Patches) > 0 && c.Spec.Kind != runspec.KindELF:
		return fmt.Errorf("patch needs an elf program")
	case (x.VerifierText != "" || x.VerifierDebug != "") && !c.checks():
		return fmt.Errorf("expect.verifier needs verifier: check")
	}
	return nil
}

func (c *Case) setSection(s section) error {
	program := func(k runspec.Kind) error {
		if c.Spec.Kind != "" {
			return fmt.Errorf("second program section (already %s)", c.Spec.Kind)
		}
		c.Spec.Kind = k
		return nil
	}
	var err error
	switch s.name {
	case "asm":
		err = program(runspec.KindAsm)
		c.Spec.Source = s.body
	case "bytes":
		if err = program(runspec.KindBytes); err == nil {
			c.Spec.Program, err = ParseHex(s.body)
		}
	case "elf":
		if err = program(runspec.KindELF); err == nil {
			c.ELFPath = strings.TrimSpace(s.body)
			if c.ELFPath == "" || strings.Contains(c.ELFPath, "\n") {
				err = fmt.Errorf("want one path")
			}
		}
	case "input":
		c.Spec.Input, err = ParseHex(s.body)
	case "log":
		c.Expect.HasLog = true
		c.Expect.Log, err = parseLog(s.body)
	default:
		err = fmt.Errorf("unknown section")
	}
	return err
}

func parseLog(body string) ([]string, error) {
	out := []string{}
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		s, err := strconv.Unquote(strings.TrimSpace(l))
		if err != nil {
			return nil, fmt.Errorf("log line %s is not a Go-quoted string", l)
		}
		out = append(out, s)
	}
	return out, nil
}

// maxHexBytes bounds what one hex section may expand to (the largest
// upstream program is 1 MiB).
const maxHexBytes = 16 << 20

// ParseHex reads the hex format of the bytes and input sections: pairs of
// hex digits separated by blanks, '#' comments, and a trailing "* N" that
// repeats the line's bytes N times.
func ParseHex(text string) ([]byte, error) {
	var out []byte
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		repeat := 1
		if i := strings.IndexByte(line, '*'); i >= 0 {
			r, err := strconv.Atoi(strings.TrimSpace(line[i+1:]))
			if err != nil || r < 0 || r > 1<<24 {
				return nil, fmt.Errorf("line %d: bad repeat count %q", n+1, line[i+1:])
			}
			repeat, line = r, line[:i]
		}
		var lb []byte
		for _, f := range strings.Fields(line) {
			if len(f) != 2 {
				return nil, fmt.Errorf("line %d: %q is not one hex byte", n+1, f)
			}
			v, err := strconv.ParseUint(f, 16, 8)
			if err != nil {
				return nil, fmt.Errorf("line %d: %q is not one hex byte", n+1, f)
			}
			lb = append(lb, byte(v))
		}
		if len(out)+len(lb)*repeat > maxHexBytes {
			return nil, fmt.Errorf("line %d: more than %d bytes", n+1, maxHexBytes)
		}
		for range repeat {
			out = append(out, lb...)
		}
	}
	return out, nil
}
