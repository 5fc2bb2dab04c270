package elf

import (
	"encoding/binary"
	"fmt"
)

// rbpf parsed ELF files with goblin 0.3.0, which reads every structure
// through the scroll 0.10 crate. A hostile file is rejected with the text
// of whichever scroll or goblin check fails first, so this file reproduces
// scroll's bounds checks and messages: a read at an offset at or past the
// end of the buffer is "bad offset N"; a read that starts inside but does
// not fit is "type is too big (SIZE) for REMAINING".

// scrollBadOffset is scroll's Error::BadOffset.
func scrollBadOffset(off uint64) *Error {
	return parseError("read-write: bad offset %d", off)
}

// scrollTooBig is scroll's Error::TooBig.
func scrollTooBig(size, remaining uint64) *Error {
	return parseError("read-write: type is too big (%d) for %d", size, remaining)
}

// malformed is goblin's Error::Malformed.
func malformed(format string, args ...any) *Error {
	return parseError("malformed: %s", fmt.Sprintf(format, args...))
}

func parseError(format string, args ...any) *Error {
	return &Error{Kind: FailedToParse, Detail: fmt.Sprintf(format, args...)}
}

// subslice is scroll's `pread_with::<&[u8]>(offset, size)`: the size bytes
// at offset, or scroll's error. Note that an offset at or past the end is
// rejected even when size is zero.
func subslice(b []byte, off, size uint64) ([]byte, *Error) {
	n := uint64(len(b))
	if off >= n {
		return nil, scrollBadOffset(off)
	}
	if size > n-off {
		return nil, scrollTooBig(size, n-off)
	}
	return b[off : off+size], nil
}

// cursor reads consecutive fields of one structure the way a derived scroll
// reader does: offsets in errors are relative to the start of buf, which is
// where the structure begins.
type cursor struct {
	buf   []byte
	pos   uint64
	order binary.ByteOrder
	err   *Error
}

// field reads an unsigned integer of size bytes (1, 2, 4 or 8). After the
// first failure it returns 0 and keeps the first error.
func (c *cursor) field(size uint64) uint64 {
	if c.err != nil {
		return 0
	}
	n := uint64(len(c.buf))
	if c.pos >= n {
		c.err = scrollBadOffset(c.pos)
		return 0
	}
	if size > n-c.pos {
		c.err = scrollTooBig(size, n-c.pos)
		return 0
	}
	b := c.buf[c.pos : c.pos+size]
	c.pos += size
	switch size {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(c.order.Uint16(b))
	case 4:
		return uint64(c.order.Uint32(b))
	default:
		return c.order.Uint64(b)
	}
}

// word reads an address-sized field: 8 bytes in ELF64, 4 in ELF32.
func (c *cursor) word(is64 bool) uint64 {
	if is64 {
		return c.field(8)
	}
	return c.field(4)
}

// at starts a structure read at absolute offset off of data, as scroll's
// gread_with does: an offset at or past the end fails before any field.
func at(data []byte, off uint64, order binary.ByteOrder) (cursor, *Error) {
	if off >= uint64(len(data)) {
		return cursor{}, scrollBadOffset(off)
	}
	return cursor{buf: data[off:], order: order}, nil
}
