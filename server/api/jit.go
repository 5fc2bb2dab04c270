package api

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/jit"
)

// JITRequest is the body of POST /api/jit: the program to compile.
type JITRequest struct {
	ProgramSource
	// Blinding turns constant blinding on or off (default on, as for runs).
	Blinding *bool `json:"blinding,omitempty"`
}

// JITListing is the answer of POST /api/jit: the x86-64 code the JIT emits
// for every eBPF instruction slot, then the shared routines.
type JITListing struct {
	Slots     int       `json:"slots"`
	CodeBytes int       `json:"code_bytes"`
	Blinding  bool      `json:"blinding"`
	CompileNS int64     `json:"compile_ns"`
	Insns     []JITInsn `json:"insns"`
	Routines  []string  `json:"routines"`
}

// JITInsn is one slot: the eBPF instruction as rbpf disassembles it (empty
// for the second slot of an lddw), where its code starts in the image, the
// code's bytes in hex and its x86-64 disassembly (Intel syntax).
type JITInsn struct {
	PC     int      `json:"pc"`
	EBPF   string   `json:"ebpf"`
	Offset int      `json:"offset"`
	Native string   `json:"native"`
	X86    []string `json:"x86"`
}

func (h *Handler) serveJIT(ctx context.Context, r *http.Request) (any, error) {
	var req JITRequest
	if err := decodeJSON(r, h.cfg.MaxBodyBytes, &req); err != nil {
		return nil, err
	}
	prog, err := req.ProgramSource.decode()
	if err != nil {
		return nil, err
	}
	spec := runJob{prog: prog}.spec()
	built, err := spec.Build()
	if err != nil {
		return nil, loadError(err)
	}
	if err := h.describable("/api/jit", "program's text", len(built.Exe.Program.Text)); err != nil {
		return nil, err
	}
	blinding := req.Blinding == nil || *req.Blinding
	t0 := time.Now()
	p, err := jit.Compile(built.Exe, jit.Options{ConstantBlinding: blinding})
	took := time.Since(t0)
	if err != nil {
		return nil, fmt.Errorf("jit compile: %w", err)
	}
	defer p.Close() // never mapped, but Close is the contract
	return listing(p, built.Exe.Program.Text, blinding, took), nil
}

func listing(p *jit.Program, text []byte, blinding bool, took time.Duration) JITListing {
	desc := map[int]string{}
	for _, l := range asm.DisassembleInsns(text) {
		desc[l.Ptr] = l.Desc
	}
	out := JITListing{Slots: p.Slots, CodeBytes: len(p.Code), Blinding: blinding,
		CompileNS: took.Nanoseconds(), Routines: jit.DisassembleRoutines(p)}
	for _, c := range jit.Disassemble(p) {
		out.Insns = append(out.Insns, JITInsn{PC: c.PC, EBPF: desc[c.PC], Offset: p.NativeStart(c.PC),
			Native: hex.EncodeToString(c.Native), X86: c.Text})
	}
	return out
}
