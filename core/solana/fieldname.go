package solana

import (
	"fmt"
	"strconv"
	"strings"
)

// FieldRange resolves a name of bytes of the input region, as people
// write them: a field's Name ("accounts[0].data", "accounts[1].lamports",
// "program_id"), an account's whole serialized bytes ("accounts[1]"), or
// a byte range of either ("accounts[0].data[0..8]": offsets within the
// field, end excluded). It returns the range's offsets in the region.
func (in *Input) FieldRange(name string) (start, end int, err error) {
	base, lo, hi, sub, err := splitRange(name)
	if err != nil {
		return 0, 0, err
	}
	start, end, ok := in.named(base)
	if !ok {
		return 0, 0, fmt.Errorf("%q names no field of the input (fields are named as `rbpf input` lists them, e.g. accounts[0].data)", base)
	}
	if !sub {
		return start, end, nil
	}
	if hi > end-start {
		return 0, 0, fmt.Errorf("%q: %s has %d bytes", name, base, end-start)
	}
	return start + lo, start + hi, nil
}

// named finds a field by its full name, or an account by "accounts[N]".
func (in *Input) named(name string) (start, end int, ok bool) {
	for _, f := range in.Fields {
		if f.Name() == name {
			return f.Start, f.End, true
		}
	}
	if rest, found := strings.CutPrefix(name, "accounts["); found {
		if num, found := strings.CutSuffix(rest, "]"); found {
			i, err := strconv.Atoi(num)
			if err == nil && i >= 0 && i < len(in.slots) && strconv.Itoa(i) == num {
				s := in.slots[i]
				if s.end > s.start {
					return s.start, s.end, true
				}
			}
		}
	}
	return 0, 0, false
}

// splitRange splits "name[lo..hi]" into its parts; sub is false when
// name has no range.
func splitRange(name string) (base string, lo, hi int, sub bool, err error) {
	i := strings.LastIndexByte(name, '[')
	if i < 0 || !strings.HasSuffix(name, "]") || !strings.Contains(name[i:], "..") {
		return name, 0, 0, false, nil
	}
	a, b, _ := strings.Cut(name[i+1:len(name)-1], "..")
	l, err1 := strconv.ParseUint(a, 0, 31)
	h, err2 := strconv.ParseUint(b, 0, 31)
	if err1 != nil || err2 != nil || l >= h {
		return "", 0, 0, false, fmt.Errorf("%q: the range %s is not START..END with START < END", name, name[i:])
	}
	return name[:i], int(l), int(h), true, nil
}

// RangeName names the input bytes [off, off+n): the field when they are
// exactly one, "field[a..b]" for part of one, and the first and last
// field when they span several ("accounts[0].lamports+data_len").
func (in *Input) RangeName(off, n int) string {
	f, ok := in.FieldAt(off)
	if !ok {
		return fmt.Sprintf("input[%#x]", off)
	}
	switch {
	case off == f.Start && off+n == f.End:
		return f.Name()
	case off+n <= f.End:
		return fmt.Sprintf("%s[%d..%d]", f.Name(), off-f.Start, off-f.Start+n)
	}
	last, ok := in.FieldAt(off + n - 1)
	switch {
	case !ok:
		return f.Name() + "…"
	case last.Account == f.Account && f.Account >= 0:
		return f.Name() + "+" + last.Part
	}
	return f.Name() + "+" + last.Name()
}
