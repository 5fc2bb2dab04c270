//go:build linux && amd64

package jit

import "unsafe"

// enter runs generated code until it exits: ctx points at the regs field
// of a context, code at the entry routine. Implemented in enter_amd64.s.
//
//go:noescape
func enter(ctx unsafe.Pointer, code uintptr)
