package wasmjit

import (
	"bytes"
	"fmt"
)

// checkModule checks the structure of a module the compiler made: the
// header, the sections in order with exact sizes, and every function body
// decoded instruction by instruction with balanced control constructs,
// branch depths inside the enclosing constructs, and local, global and
// function indices in range. Full validation (types) is WebAssembly's,
// under js/wasm (TestModulesValidate).
func checkModule(b []byte) error {
	if !bytes.HasPrefix(b, []byte{0, 'a', 's', 'm', 1, 0, 0, 0}) {
		return fmt.Errorf("bad header")
	}
	b = b[8:]
	last := byte(0)
	var code []byte
	for len(b) > 0 {
		id := b[0]
		size, n := readULEB(b[1:])
		if n == 0 || uint64(len(b)-1-n) < size {
			return fmt.Errorf("section %d: bad size", id)
		}
		if id <= last {
			return fmt.Errorf("section %d after %d", id, last)
		}
		last = id
		body := b[1+n : 1+n+int(size)]
		if id == 10 {
			code = body
		}
		b = b[1+n+int(size):]
	}
	if code == nil {
		return fmt.Errorf("no code section")
	}
	count, n := readULEB(code)
	if count < fnChunks+1 || count > 1000 {
		return fmt.Errorf("%d functions", count)
	}
	params := []int{1, 2, 12, 1}
	for len(params) < int(count) {
		params = append(params, 1)
	}
	code = code[n:]
	for f := range params {
		size, n := readULEB(code)
		if n == 0 || uint64(len(code)-n) < size {
			return fmt.Errorf("function %d: bad size", f)
		}
		if err := checkBody(code[n:n+int(size)], params[f], int(count)); err != nil {
			return fmt.Errorf("function %d: %w", f, err)
		}
		code = code[n+int(size):]
	}
	if len(code) != 0 {
		return fmt.Errorf("%d bytes after the functions", len(code))
	}
	return nil
}

// checkBody checks one function body with params parameters, in a module
// of funcs functions.
func checkBody(b []byte, params, funcs int) error {
	groups, n := readULEB(b)
	if n == 0 {
		return fmt.Errorf("bad locals")
	}
	b = b[n:]
	locals := uint64(params)
	for range groups {
		c, n := readULEB(b)
		if n == 0 || len(b) < n+1 {
			return fmt.Errorf("bad locals")
		}
		locals += c
		b = b[n+1:]
	}
	depth := 1 // the function's own block
	at := 0
	for at < len(b) {
		in := decodeInsn(b[at:])
		if !in.valid {
			return fmt.Errorf("undecodable instruction 0x%02x at %d", b[at], at)
		}
		at += in.size
		switch in.op {
		case opBlock, opLoop, opIf:
			depth++
		case opEnd:
			depth--
			if depth == 0 && at != len(b) {
				return fmt.Errorf("code after the final end at %d", at)
			}
		case opBr, opBrIf:
			if in.imm[0] >= int64(depth) {
				return fmt.Errorf("br %d at nesting %d", in.imm[0], depth)
			}
		case opBrTable:
			for _, t := range in.imm {
				if t >= int64(depth) {
					return fmt.Errorf("br_table target %d at nesting %d", t, depth)
				}
			}
		case opLocalGet, opLocalSet, opLocalTee:
			if uint64(in.imm[0]) >= locals {
				return fmt.Errorf("local %d of %d", in.imm[0], locals)
			}
		case opGlobalGet, opGlobalSet:
			if in.imm[0] >= 4 {
				return fmt.Errorf("global %d", in.imm[0])
			}
		case opCall:
			if in.imm[0] < 1 || in.imm[0] >= int64(funcs) {
				return fmt.Errorf("call %d", in.imm[0])
			}
		}
	}
	if depth != 0 {
		return fmt.Errorf("unbalanced: nesting %d at the end", depth)
	}
	return nil
}
