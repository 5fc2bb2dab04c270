package wasmjit

// assemble builds the module: the types, the imported memory (Go's own, so
// that region bytes are accessed at their Go addresses), the functions
// (the driver, the translation, trace and byte-swap helpers, the chunks),
// the globals and the "run" export. It returns the module and where each
// chunk's body starts in it.
func assemble(driver []byte, chunks [][]byte) ([]byte, []int) {
	funcs := append([][]byte{driver, xlateBody(), traceBody(), bswapBody()}, chunks...)
	total := 256 + 8*len(funcs)
	for _, f := range funcs {
		total += len(f)
	}
	b := make([]byte, 0, total)
	b = append(b, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)

	// Types: run (i32) -> i32; xlate (i64, i32) -> i32; trace (i32, 11 x i64).
	var types []byte
	types = appendULEB(types, 4)
	types = append(types, 0x60, 1, typeI32, 1, typeI32)
	types = append(types, 0x60, 2, typeI64, typeI32, 1, typeI32)
	types = append(types, 0x60, 12, typeI32)
	for range 11 {
		types = append(types, typeI64)
	}
	types = append(types, 0)
	types = append(types, 0x60, 1, typeI64, 1, typeI64)
	b = appendSection(b, 1, types)

	// Import: go.mem, a memory of at least 0 pages and no maximum.
	var imports []byte
	imports = appendULEB(imports, 1)
	imports = appendName(imports, "go")
	imports = appendName(imports, "mem")
	imports = append(imports, 0x02, 0x00, 0x00)
	b = appendSection(b, 2, imports)

	fsec := appendULEB(nil, uint64(len(funcs)))
	fsec = append(fsec, 0, 1, 2, 3)
	for range chunks {
		fsec = append(fsec, 0)
	}
	b = appendSection(b, 3, fsec)

	// Globals: regions, region count, trace cursor, trace end (mutable i32).
	var globals []byte
	globals = appendULEB(globals, 4)
	for range 4 {
		globals = append(globals, typeI32, 1, opI32Const, 0, opEnd)
	}
	b = appendSection(b, 6, globals)

	var exports []byte
	exports = appendULEB(exports, 1)
	exports = appendName(exports, "run")
	exports = append(exports, 0x00, fnRun)
	b = appendSection(b, 7, exports)

	// The code section, written in place: its size, the function count,
	// then each body with its size.
	size := uint64(len(appendULEB(nil, uint64(len(funcs)))))
	for _, f := range funcs {
		size += uint64(len(appendULEB(nil, uint64(len(f))))) + uint64(len(f))
	}
	b = append(b, 10)
	b = appendULEB(b, size)
	b = appendULEB(b, uint64(len(funcs)))
	at := make([]int, 0, len(chunks))
	for i, f := range funcs {
		b = appendULEB(b, uint64(len(f)))
		if i >= fnChunks {
			at = append(at, len(b))
		}
		b = append(b, f...)
	}
	return b, at
}

// xlateBody is the exact translation: the memory mapping's lookup (the
// region with the greatest start not above the address, the last among
// equal starts), its permission, gap and bounds checks (core/vm memory.go
// MemoryRegion.hostOffset, tlb.go tlbEntry.at), returning the host address
// of the access or 0 when the interpreter refuses it. kind is the access
// size, plus 0x100 for a store.
func xlateBody() []byte {
	const (
		pA, pK                 = 0, 1
		lI, lP                 = 2, 3 // i32
		lOff, lLo, lMask, lLen = 4, 5, 6, 7
	)
	c := &compiler{}
	c.op2(opBlock, blockVoid) // fail
	c.op(opGlobalGet)
	c.u(gNRegions)
	c.set(lI)
	c.op2(opLoop, blockVoid)
	c.get(lI)
	c.op(opI32Eqz)
	c.brIf(1)
	c.get(lI)
	c.i32(1)
	c.op(opI32Sub)
	c.tee(lI)
	c.i32(5)
	c.op(opI32Shl)
	c.op(opGlobalGet)
	c.u(gRegions)
	c.op(opI32Add)
	c.tee(lP)
	c.mem(opI64Load, 3, descStart)
	c.get(pA)
	c.op(opI64GtU)
	c.brIf(0)
	c.op(opEnd)
	// A store into a read-only region.
	c.get(pK)
	c.i32(8)
	c.op(opI32ShrU)
	c.get(lP)
	c.mem(opI32Load, 2, descWritable)
	c.op2(opI32Eqz, opI32And)
	c.brIf(0)
	c.get(pA)
	c.get(lP)
	c.mem(opI64Load, 3, descStart)
	c.op(opI64Sub)
	c.set(lOff)
	c.get(lP)
	c.mem(opI64Load, 3, descMask)
	c.set(lMask)
	// In a gap: the bit above the mask.
	c.get(lOff)
	c.get(lMask)
	c.i64(1)
	c.op2(opI64Add, opI64And)
	c.i64(0)
	c.op(opI64Ne)
	c.brIf(0)
	// lo = (off &^ mask) >> 1 | off & mask
	c.get(lOff)
	c.get(lMask)
	c.i64(-1)
	c.op2(opI64Xor, opI64And)
	c.i64(1)
	c.op(opI64ShrU)
	c.get(lOff)
	c.get(lMask)
	c.op2(opI64And, opI64Or)
	c.set(lLo)
	c.get(lP)
	c.mem(opI64Load, 3, descLen)
	c.set(lLen)
	c.get(lLo)
	c.get(lLen)
	c.op(opI64GtU)
	c.brIf(0)
	c.get(pK)
	c.i32(0xff)
	c.op2(opI32And, opI64ExtendU)
	c.get(lLen)
	c.get(lLo)
	c.op2(opI64Sub, opI64GtU)
	c.brIf(0)
	c.get(lP)
	c.mem(opI32Load, 2, descHost)
	c.get(lLo)
	c.op3(opI32WrapI64, opI32Add, opReturn)
	c.op(opEnd)
	c.i32(0)
	c.op(opEnd)
	body := appendULEB(nil, 2)
	body = append(body, 2, typeI32, 4, typeI64)
	return append(body, c.b...)
}

// traceBody records one trace entry (r0-r10, then the slot) at the trace
// cursor and advances it; the caller has checked there is room.
func traceBody() []byte {
	c := &compiler{}
	for r := 0; r <= 10; r++ {
		c.op(opGlobalGet)
		c.u(gTraceCur)
		c.get(1 + r)
		c.mem(opI64Store, 3, uint32(8*r))
	}
	c.op(opGlobalGet)
	c.u(gTraceCur)
	c.get(0)
	c.op(opI64ExtendU)
	c.mem(opI64Store, 3, 88)
	c.op(opGlobalGet)
	c.u(gTraceCur)
	c.i32(traceEntrySize)
	c.op2(opI32Add, opGlobalSet)
	c.u(gTraceCur)
	c.op(opEnd)
	return append(appendULEB(nil, 0), c.b...)
}

// bswapBody reverses the bytes of its i64 parameter (be64; be32 and be16
// shift the result down).
func bswapBody() []byte {
	c := &compiler{}
	for i := 0; i < 8; i++ {
		c.get(0)
		if i < 4 {
			c.i64(0xff << (8 * i))
			c.op(opI64And)
			c.i64(int64(56 - 16*i))
			c.op(opI64Shl)
		} else {
			c.i64(int64(16*i - 56))
			c.op(opI64ShrU)
			c.i64(0xff << (8 * (7 - i)))
			c.op(opI64And)
		}
		if i > 0 {
			c.op(opI64Or)
		}
	}
	c.op(opEnd)
	return append(appendULEB(nil, 0), c.b...)
}
