// Package cfg computes the control-flow graph of an eBPF program: its
// functions, basic blocks, the edges between blocks and the call sites, and
// renders it as Graphviz dot text (with optional execution counts from a
// trace). The CLI's `rbpf cfg` and the playground both draw from it.
//
// A basic block starts at the first instruction, at the entrypoint, at every
// function start, at every jump target and after every jump or exit. Calls
// do not end blocks: a call returns to the next instruction. Jumps whose
// target is outside the program, or inside the second slot of an lddw, and
// blocks that run off the end of the program get an edge to nowhere (To is
// -1) instead of being dropped, so that broken programs can still be drawn.
// Build never panics, whatever the bytes.
package cfg
