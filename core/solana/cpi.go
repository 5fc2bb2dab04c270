package solana

import (
	"encoding/binary"
	"fmt"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// maxSigners is MAX_SIGNERS in syscalls.rs.
const maxSigners = 16

// sysInvokeSignedRust translates the Rust Instruction (accounts and data
// as Vec<T>, which rustc lays out as pointer, capacity, length, ahead of
// the 32-byte program id: 80 bytes, 8-aligned) and its signer seeds.
func sysInvokeSignedRust(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	return s.invoke(ctx, a, mem, "sol_invoke_signed_rust", s.rustInstruction, s.rustSigners)
}

// sysInvokeSignedC translates the C SolInstruction (program id pointer,
// accounts pointer and length, data pointer and length: 40 bytes) and its
// SolSignerSeeds.
func sysInvokeSignedC(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	return s.invoke(ctx, a, mem, "sol_invoke_signed_c", s.cInstruction, s.rustSigners)
}

type translateIx func(mem *vm.MemoryMapping, addr uint64) (*CPIRequest, error)
type translateSigners func(mem *vm.MemoryMapping, addr, n uint64) ([][][]byte, error)

// invoke follows the release's `call` up to the point where it would run
// the callee: it charges invoke_units, translates the instruction
// (checking its size), derives the signers' program addresses, and then
// stops the run with the request.
func (s *session) invoke(ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping, name string, ixf translateIx, sigf translateSigners) (uint64, error) {
	if err := consume(ctx, s.budget.InvokeUnits); err != nil {
		return 0, err
	}
	req, err := ixf(mem, a[0])
	if err != nil {
		return 0, err
	}
	req.Syscall = name
	seeds, err := sigf(mem, a[3], a[4])
	if err != nil {
		return 0, err
	}
	for _, sd := range seeds {
		addr, err := pubkey.CreateProgramAddress(sd, s.ix.ProgramID)
		if err != nil {
			return 0, user(&SyscallError{Kind: BadSeeds, Text: err.Error()})
		}
		req.Signers = append(req.Signers, addr)
	}
	s.cpi = req
	return 0, user(&SyscallError{Kind: Invoke, CPI: req})
}

func (s *session) checkInstructionSize(accounts, data uint64) error {
	size := satAdd(accounts*34, data)
	if accounts > 1<<40 {
		size = ^uint64(0)
	}
	if size > uint64(s.budget.MaxCPIInstructionSize) {
		return user(&SyscallError{Kind: InstructionTooLarge, Text: fmt.Sprintf("%d > %d", size, s.budget.MaxCPIInstructionSize)})
	}
	return nil
}

func (s *session) rustInstruction(mem *vm.MemoryMapping, addr uint64) (*CPIRequest, error) {
	b, err := s.translate(mem, vm.Load, addr, 80, 8)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	accPtr, accLen := le.Uint64(b[0:]), le.Uint64(b[16:])
	dataPtr, dataLen := le.Uint64(b[24:]), le.Uint64(b[40:])
	req := &CPIRequest{}
	copy(req.Program[:], b[48:80])
	if err := s.checkInstructionSize(accLen, dataLen); err != nil {
		return nil, err
	}
	metas, err := s.slice(mem, vm.Load, accPtr, accLen, 34, 1)
	if err != nil {
		return nil, err
	}
	for i := uint64(0); i < accLen; i++ {
		m := metas[34*i:]
		var acc CPIAccount
		copy(acc.Pubkey[:], m[:32])
		acc.IsSigner, acc.IsWritable = m[32] != 0, m[33] != 0
		req.Accounts = append(req.Accounts, acc)
	}
	data, err := s.slice(mem, vm.Load, dataPtr, dataLen, 1, 1)
	if err != nil {
		return nil, err
	}
	req.Data = append([]byte(nil), data...)
	return req, nil
}

func (s *session) cInstruction(mem *vm.MemoryMapping, addr uint64) (*CPIRequest, error) {
	b, err := s.translate(mem, vm.Load, addr, 40, 8)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	req := &CPIRequest{}
	pid, err := s.translate(mem, vm.Load, le.Uint64(b[0:]), 32, 1)
	if err != nil {
		return nil, err
	}
	copy(req.Program[:], pid)
	accPtr, accLen := le.Uint64(b[8:]), le.Uint64(b[16:])
	dataPtr, dataLen := le.Uint64(b[24:]), le.Uint64(b[32:])
	if err := s.checkInstructionSize(accLen, dataLen); err != nil {
		return nil, err
	}
	metas, err := s.slice(mem, vm.Load, accPtr, accLen, 16, 8)
	if err != nil {
		return nil, err
	}
	for i := uint64(0); i < accLen; i++ {
		m := metas[16*i:]
		key, err := s.translate(mem, vm.Load, le.Uint64(m[0:]), 32, 1)
		if err != nil {
			return nil, err
		}
		var acc CPIAccount
		copy(acc.Pubkey[:], key)
		acc.IsWritable, acc.IsSigner = m[8] != 0, m[9] != 0
		req.Accounts = append(req.Accounts, acc)
	}
	data, err := s.slice(mem, vm.Load, dataPtr, dataLen, 1, 1)
	if err != nil {
		return nil, err
	}
	req.Data = append([]byte(nil), data...)
	return req, nil
}

// rustSigners translates the signer seeds: a slice of seed lists, each a
// slice of byte slices (the C layout is the same pairs of pointer and
// length).
func (s *session) rustSigners(mem *vm.MemoryMapping, addr, n uint64) ([][][]byte, error) {
	if n == 0 {
		return nil, nil
	}
	lists, err := s.slice(mem, vm.Load, addr, n, 16, 8)
	if err != nil {
		return nil, err
	}
	if n > maxSigners {
		return nil, user(&SyscallError{Kind: TooManySigners})
	}
	out := make([][][]byte, 0, n)
	for i := uint64(0); i < n; i++ {
		p := binary.LittleEndian.Uint64(lists[16*i:])
		l := binary.LittleEndian.Uint64(lists[16*i+8:])
		sd, err := s.seeds(mem, p, l)
		if err != nil {
			return nil, err
		}
		out = append(out, sd)
	}
	return out, nil
}
