package api

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// ProgramSource is how a request names its program: exactly one of Asm
// (assembly text), ELF (an ELF file, base64) or Bytes (raw instruction
// bytes, base64).
type ProgramSource struct {
	Asm   *string `json:"asm,omitempty"`
	ELF   *string `json:"elf,omitempty"`
	Bytes *string `json:"bytes,omitempty"`
}

// program is a decoded ProgramSource.
type program struct {
	kind   string // "asm", "elf" or "bytes"
	source string // assembly text
	data   []byte // ELF file or instruction bytes
}

func (p ProgramSource) decode() (program, error) {
	n := 0
	for _, s := range []*string{p.Asm, p.ELF, p.Bytes} {
		if s != nil {
			n++
		}
	}
	if n != 1 {
		return program{}, badRequest(`give exactly one of "asm", "elf" or "bytes" (got %d)`, n)
	}
	switch {
	case p.Asm != nil:
		return program{kind: "asm", source: *p.Asm}, nil
	case p.ELF != nil:
		data, err := decodeBase64(*p.ELF)
		if err != nil {
			return program{}, badRequest(`"elf": not base64: %v`, err)
		}
		return program{kind: "elf", data: data}, nil
	default:
		data, err := decodeBase64(*p.Bytes)
		if err != nil {
			return program{}, badRequest(`"bytes": not base64: %v`, err)
		}
		return program{kind: "bytes", data: data}, nil
	}
}

// decodeBase64 accepts standard base64 with or without padding, ignoring
// line breaks (as `base64` prints them).
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// decodeHex reads the input region's bytes: hex digits, with an optional 0x
// prefix and any whitespace between them.
func decodeHex(s string) ([]byte, error) {
	s = strings.Join(strings.Fields(s), "")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	return hex.DecodeString(s)
}
