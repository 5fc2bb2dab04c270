// Package amd64 encodes the x86-64 instructions core/jit's compiler emits:
// general-purpose registers, [base + index*scale + disp] memory operands,
// the ALU, shift, multiply, divide, move, load and store forms at 8 to 64
// bits, jumps and calls with 32-bit displacements to labels bound before or
// after their use, and the few stack and flag instructions the generated
// code needs. Nothing else of x86-64 is here.
//
// The encoder is one file on purpose: every form sits next to the shared
// ModRM/SIB/REX logic, so that the encoding rules live in one place, and
// encoder_test.go checks each form's bytes and their x86asm decoding in a
// single table.
//
// It is pure Go without unsafe code and builds on every platform (the
// playground compiles programs in the browser to show their machine code).
// The Assembler writes into its buffer by index rather than appending, so
// that emitting a byte stores no pointer; compiling large programs depends
// on that.
//
// The package is internal to core/jit: its API follows what the compiler
// needs and changes with it.
package amd64
