// Copyright 2015 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file is the part of the library's demangle.go that rust.go needs,
// with ToString cut down to the Rust cases (see doc.go).

package rustdemangle

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotMangledName is returned by ToString if the string does not
// appear to be a Rust symbol name.
var ErrNotMangledName = errors.New("not a Rust mangled name")

// Option is the type of demangler options. The values are the library's,
// so an Option converts to its demangle.Option with the same meaning.
type Option int

const (
	// The NoTemplateParams option disables demangling of generic
	// arguments in v0 names.
	NoTemplateParams Option = 1

	// LLVMStyle shows a v0 name's `.suffix` in parentheses after the
	// demangled name, as LLVM's demangler does.
	LLVMStyle Option = 6
)

// maxLengthShift is how we shift the MaxLength value.
const maxLengthShift = 16

// maxLengthMask is a mask for the maxLength value.
const maxLengthMask = 0x1f << maxLengthShift

// MaxLength returns an Option that limits the maximum length of a
// demangled string. The maximum length is expressed as a power of 2,
// so a value of 1 limits the returned string to 2 characters, and
// a value of 16 limits the returned string to 65,536 characters.
// The value must be between 1 and 30.
func MaxLength(pow int) Option {
	if pow <= 0 || pow > 30 {
		panic("rustdemangle: invalid MaxLength value")
	}
	return Option(pow << maxLengthShift)
}

// isMaxLength reports whether an Option holds a maximum length.
func isMaxLength(opt Option) bool {
	return opt&maxLengthMask != 0
}

// maxLength returns the maximum length stored in an Option.
func maxLength(opt Option) int {
	return 1 << ((opt & maxLengthMask) >> maxLengthShift)
}

// ToString demangles a Rust symbol name, returning a human-readable
// Rust name or an error. It takes v0 names (`_R…`) and legacy names
// (`_ZN…17h<16 hex digits>E`, the hash having at least five different
// digits), either followed by a `.suffix`, which is left out. For any
// other name, and for a legacy-looking name whose path does not parse,
// where the library would go on to its C++ demangler, the error is
// ErrNotMangledName.
func ToString(name string, options ...Option) (string, error) {
	if strings.HasPrefix(name, "_R") {
		return rustToString(name, options)
	}

	// Check for an old-style Rust mangled name.
	// It starts with _ZN and ends with "17h" followed by 16 hex digits
	// followed by "E" followed by an optional suffix starting with "."
	// (which we ignore).
	if strings.HasPrefix(name, "_ZN") {
		rname := name
		if pos := strings.LastIndex(rname, "E."); pos > 0 {
			rname = rname[:pos+1]
		}
		if strings.HasSuffix(rname, "E") && len(rname) > 23 && rname[len(rname)-20:len(rname)-17] == "17h" {
			s, ok := oldRustToString(rname, options)
			if ok {
				return s, nil
			}
		}
	}

	return "", ErrNotMangledName
}

// A demangleErr is an error at a specific offset in the mangled
// string.
type demangleErr struct {
	err string
	off int
}

// Error implements the builtin error interface for demangleErr.
func (de demangleErr) Error() string {
	return fmt.Sprintf("%s at %d", de.err, de.off)
}

// isDigit returns whether c is a digit for demangling purposes.
func isDigit(c byte) bool {
	return c >= '0' && c <= '9'
}
