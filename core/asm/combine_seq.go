package asm

// seq runs parsers one after another (a tuple of parsers in the library).
type seq []cParser

func (s seq) parse(in *cInput) (cStatus, *tracked) {
	firstEmpty := 0 // index after the last parser that consumed input
	offset := 0
	for i, p := range s {
		before := in.pos
		st, t := p.parse(in)
		switch st {
		case consumedErr:
			return st, t
		case emptyErr:
			if i == 0 {
				return st, t
			}
			in.pos = before
			return s.addErrors(in, t, firstEmpty, offset)
		case consumedOK:
			firstEmpty = i + 1
		}
		if i == 0 {
			offset = p.count() + 1
		} else {
			offset += p.count()
		}
	}
	if firstEmpty != 0 {
		return consumedOK, nil
	}
	return emptyOK, nil
}

// addErrors completes the report of a failed element: when an earlier
// element consumed input, the failure becomes one after consumption and
// the report gets the found character, what the last consuming element
// would have accepted next, and what the elements since expected.
func (s seq) addErrors(in *cInput, t *tracked, firstEmpty, offset int) (cStatus, *tracked) {
	inner := t.offset
	t.offset = offset
	if firstEmpty == 0 {
		return emptyErr, t
	}
	if tok, ok := in.tokenAt(in.pos); ok {
		t.err.add(tok)
	}
	for i, p := range s {
		if i+1 == firstEmpty {
			p.addConsumedExpected(t)
		}
		if i >= firstEmpty {
			if t.offset <= 1 {
				t.offset = inner
			}
			p.addError(t)
			if t.offset <= 1 {
				break
			}
		}
		t.offset = sub(t.offset, p.count())
	}
	return consumedErr, t
}

func (s seq) addError(t *tracked) {
	for i, p := range s {
		prev := t.offset
		p.addError(t)
		if t.offset <= 1 {
			t.offset = sub(t.offset, 1)
			return
		}
		if (i == 0 || i != len(s)-1) && t.offset == prev {
			t.offset = sub(t.offset, p.count())
		}
	}
}

func (s seq) count() int {
	n := 0
	for _, p := range s {
		n += p.count()
	}
	return n
}

func (s seq) addConsumedExpected(t *tracked) { s[len(s)-1].addConsumedExpected(t) }

func sub(a, b int) int {
	if a < b {
		return 0
	}
	return a - b
}

// or tries its alternatives in turn until one succeeds or consumes input.
type or []cParser

func (o or) parse(in *cInput) (cStatus, *tracked) {
	before := in.pos
	fails := make([]*tracked, 0, len(o))
	for _, p := range o {
		st, t := p.parse(in)
		if st != emptyErr {
			return st, t
		}
		in.pos = before
		fails = append(fails, t)
	}
	merged := fails[len(fails)-1].err
	for i := len(fails) - 2; i >= 0; i-- {
		merged = fails[i].err.merge(merged)
	}
	t := &tracked{err: merged, offset: 1}
	for i, f := range fails {
		if f.offset != 1 {
			t.offset = f.offset
			o[i].addError(t)
			t.offset = 0
		}
	}
	return emptyErr, t
}

func (o or) addError(t *tracked) {
	if t.offset == 0 {
		return
	}
	before := t.offset
	for _, p := range o {
		t.offset = 1
		p.addError(t)
	}
	t.offset = sub(before, 1)
}

func (or) count() int                   { return 1 }
func (or) addConsumedExpected(*tracked) {}

// many repeats a parser zero or more times (at least once for many1).
type many struct {
	p        cParser
	atLeast1 bool
}

func (m many) parse(in *cInput) (cStatus, *tracked) {
	consumed := false
	if m.atLeast1 {
		st, t := m.p.parse(in)
		if !st.ok() {
			return st, t
		}
		consumed = st.consumed()
	}
	return repeat(in, m.p, consumed)
}

// repeat runs p until it fails; a failure without consumption ends the
// repetition successfully.
func repeat(in *cInput, p cParser, consumed bool) (cStatus, *tracked) {
	for {
		before := in.pos
		st, t := p.parse(in)
		switch st {
		case consumedErr:
			return st, t
		case emptyErr:
			in.pos = before
			if consumed {
				return consumedOK, nil
			}
			return emptyOK, nil
		case consumedOK:
			consumed = true
		}
	}
}

func (m many) addError(t *tracked)            { m.p.addError(t) }
func (m many) count() int                     { return m.p.count() }
func (m many) addConsumedExpected(t *tracked) { m.addError(t) }

// sepBy parses p zero or more times, separated by sep.
type sepBy struct{ p, sep cParser }

func (s sepBy) parse(in *cInput) (cStatus, *tracked) {
	before := in.pos
	st, t := s.p.parse(in)
	if st == emptyErr {
		in.pos = before
		return emptyOK, nil
	}
	if !st.ok() {
		return st, t
	}
	rest, t := repeat(in, seq{s.sep, s.p}, st.consumed())
	return rest, t
}

func (s sepBy) addError(t *tracked)            { s.p.addError(t) }
func (s sepBy) count() int                     { return s.p.count() }
func (s sepBy) addConsumedExpected(t *tracked) { s.sep.addError(t) }
