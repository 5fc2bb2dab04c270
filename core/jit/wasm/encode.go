package wasmjit

// WebAssembly binary encoding: the opcodes the compiler emits and the
// LEB128 helpers, per the WebAssembly core specification (binary format).

// Opcodes used by the generated code.
const (
	opUnreachable = 0x00
	opBlock       = 0x02
	opLoop        = 0x03
	opIf          = 0x04
	opElse        = 0x05
	opEnd         = 0x0b
	opBr          = 0x0c
	opBrIf        = 0x0d
	opBrTable     = 0x0e
	opReturn      = 0x0f
	opCall        = 0x10
	opSelect      = 0x1b
	opLocalGet    = 0x20
	opLocalSet    = 0x21
	opLocalTee    = 0x22
	opGlobalGet   = 0x23
	opGlobalSet   = 0x24
	opI32Load     = 0x28
	opI64Load     = 0x29
	opI64Load8U   = 0x31
	opI64Load16U  = 0x33
	opI64Load32U  = 0x35
	opI32Store    = 0x36
	opI64Store    = 0x37
	opI64Store8   = 0x3c
	opI64Store16  = 0x3d
	opI64Store32  = 0x3e
	opI32Const    = 0x41
	opI64Const    = 0x42
	opI32Eqz      = 0x45
	opI32Eq       = 0x46
	opI32Ne       = 0x47
	opI32LtU      = 0x49
	opI32GeU      = 0x4f
	opI64Eqz      = 0x50
	opI64Eq       = 0x51
	opI64Ne       = 0x52
	opI64LtS      = 0x53
	opI64LtU      = 0x54
	opI64GtS      = 0x55
	opI64GtU      = 0x56
	opI64LeS      = 0x57
	opI64LeU      = 0x58
	opI64GeS      = 0x59
	opI64GeU      = 0x5a
	opI32Add      = 0x6a
	opI32Sub      = 0x6b
	opI32Mul      = 0x6c
	opI32DivU     = 0x6e
	opI32RemU     = 0x70
	opI32And      = 0x71
	opI32Or       = 0x72
	opI32Xor      = 0x73
	opI32Shl      = 0x74
	opI32ShrS     = 0x75
	opI32ShrU     = 0x76
	opI64Add      = 0x7c
	opI64Sub      = 0x7d
	opI64Mul      = 0x7e
	opI64DivU     = 0x80
	opI64RemU     = 0x82
	opI64And      = 0x83
	opI64Or       = 0x84
	opI64Xor      = 0x85
	opI64Shl      = 0x86
	opI64ShrS     = 0x87
	opI64ShrU     = 0x88
	opI32WrapI64  = 0xa7
	opI64ExtendS  = 0xac // i64.extend_i32_s
	opI64ExtendU  = 0xad // i64.extend_i32_u
)

// Value types and the empty block type.
const (
	typeI32   = 0x7f
	typeI64   = 0x7e
	blockVoid = 0x40
)

func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// readULEB decodes an unsigned LEB128 value of at most 64 bits; n is 0 on
// malformed input.
func readULEB(b []byte) (v uint64, n int) {
	for shift := uint(0); n < len(b) && shift < 64; shift += 7 {
		c := b[n]
		n++
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, n
		}
	}
	return 0, 0
}

// readSLEB decodes a signed LEB128 value of at most 64 bits; n is 0 on
// malformed input.
func readSLEB(b []byte) (v int64, n int) {
	var shift uint
	for n < len(b) && shift < 64 {
		c := b[n]
		n++
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, n
		}
	}
	return 0, 0
}

// appendSection appends section id with its contents, prefixed by size.
func appendSection(b []byte, id byte, body []byte) []byte {
	b = append(b, id)
	b = appendULEB(b, uint64(len(body)))
	return append(b, body...)
}

func appendName(b []byte, s string) []byte {
	b = appendULEB(b, uint64(len(s)))
	return append(b, s...)
}
