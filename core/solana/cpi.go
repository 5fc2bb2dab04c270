package solana

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// maxSigners is MAX_SIGNERS in syscalls.rs.
const maxSigners = 16

// sysInvokeSignedRust translates the Rust Instruction (accounts and data
// as Vec<T>, which rustc lays out as pointer, capacity, length, ahead of
// the 32-byte program id: 80 bytes, 8-aligned) and its signer seeds.
func sysInvokeSignedRust(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	return s.invoke(ctx, a, mem, "sol_invoke_signed_rust", s.rustInstruction, s.signers)
}

// sysInvokeSignedC translates the C SolInstruction (program id pointer,
// accounts pointer and length, data pointer and length: 40 bytes) and its
// SolSignerSeeds.
func sysInvokeSignedC(s *session, ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping) (uint64, error) {
	return s.invoke(ctx, a, mem, "sol_invoke_signed_c", s.cInstruction, s.signers)
}

type translateIx func(mem *vm.MemoryMapping, addr uint64) (*CPIRequest, error)
type translateSigners func(mem *vm.MemoryMapping, addr, n uint64) ([]pubkey.Pubkey, error)

// invoke follows the release's `call` up to the point where it would run
// the callee: it charges invoke_units, translates the instruction
// (checking its size) and the signers' seeds (deriving their program
// addresses), checks the instruction against the caller's accounts as
// MessageProcessor::create_message does, and refuses the loaders as
// check_authorized_program does. Then it stops the run with the request.
// Translating the caller's AccountInfos, which the release does next, is
// not modelled.
func (s *session) invoke(ctx *vm.SyscallContext, a [5]uint64, mem *vm.MemoryMapping, name string, ixf translateIx, sigf translateSigners) (uint64, error) {
	if err := consume(ctx, s.budget.InvokeUnits); err != nil {
		return 0, err
	}
	req, err := ixf(mem, a[0])
	if err != nil {
		return 0, err
	}
	req.Syscall = name
	if req.Signers, err = sigf(mem, a[3], a[4]); err != nil {
		return 0, err
	}
	if err := s.createMessage(ctx, req); err != nil {
		return 0, err
	}
	if err := checkAuthorizedProgram(req); err != nil {
		return 0, err
	}
	s.cpi = req
	return 0, user(&SyscallError{Kind: Invoke, CPI: req})
}

// createMessage checks the callee's instruction against the caller's
// accounts: every account it names must be one of them, neither writable
// nor signer where the caller's is not (a program address the caller
// signs for counts as a signer), and the callee must be among them and
// executable. Each refusal is logged as the release logs it.
func (s *session) createMessage(ctx *vm.SyscallContext, req *CPIRequest) error {
	find := func(k pubkey.Pubkey) *Account {
		for i := range s.ix.Accounts {
			if s.ix.Accounts[i].Pubkey == k {
				return &s.ix.Accounts[i]
			}
		}
		return nil
	}
	for _, m := range req.Accounts {
		caller := find(m.Pubkey)
		if caller == nil {
			s.log(ctx, "Instruction references an unknown account "+m.Pubkey.String())
			return instructionErr(MissingAccount)
		}
		if m.IsWritable && !caller.IsWritable {
			s.log(ctx, m.Pubkey.String()+"'s writable privilege escalated")
			return instructionErr(PrivilegeEscalation)
		}
		if m.IsSigner && !caller.IsSigner && !containsKey(req.Signers, m.Pubkey) {
			s.log(ctx, m.Pubkey.String()+"'s signer privilege escalated")
			return instructionErr(PrivilegeEscalation)
		}
	}
	program := find(req.Program)
	switch {
	case program == nil:
		s.log(ctx, "Unknown program "+req.Program.String())
		return instructionErr(MissingAccount)
	case !program.Executable:
		s.log(ctx, "Account "+req.Program.String()+" is not executable")
		return instructionErr(AccountNotExecutable)
	}
	return nil
}

func containsKey(keys []pubkey.Pubkey, k pubkey.Pubkey) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// nativeLoaderID owns the builtin programs.
var nativeLoaderID = pubkey.MustParse("NativeLoader1111111111111111111111111111111")

// checkAuthorizedProgram refuses invocations of the loaders themselves,
// except the upgradeable loader's Upgrade instruction (v1.6's rule; its
// empty-data case, where the release indexes past the data and panics, is
// refused here).
func checkAuthorizedProgram(req *CPIRequest) error {
	p := req.Program
	upgrade := len(req.Data) > 0 && req.Data[0] == 3
	if p == nativeLoaderID || p == pubkey.BPFLoaderID || p == pubkey.BPFLoaderDeprecatedID ||
		p == pubkey.BPFLoaderUpgradeableID && !upgrade {
		return user(&SyscallError{Kind: ProgramNotSupported, Text: p.String()})
	}
	return nil
}

func (s *session) checkInstructionSize(accounts, data uint64) error {
	size := satAdd(satMul(accounts, 34), data) // size_of::<AccountMeta>() is 34
	if size > uint64(s.budget.MaxCPIInstructionSize) {
		return user(&SyscallError{Kind: InstructionTooLarge, Text: fmt.Sprintf("%d > %d", size, s.budget.MaxCPIInstructionSize)})
	}
	return nil
}

func satMul(a, b uint64) uint64 {
	if hi, lo := bits.Mul64(a, b); hi == 0 {
		return lo
	}
	return math.MaxUint64
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
	accPtr, accLen := le.Uint64(b[8:]), le.Uint64(b[16:])
	dataPtr, dataLen := le.Uint64(b[24:]), le.Uint64(b[32:])
	if err := s.checkInstructionSize(accLen, dataLen); err != nil {
		return nil, err
	}
	req := &CPIRequest{}
	pid, err := s.translate(mem, vm.Load, le.Uint64(b[0:]), 32, 1)
	if err != nil {
		return nil, err
	}
	copy(req.Program[:], pid)
	metas, err := s.slice(mem, vm.Load, accPtr, accLen, 16, 8)
	if err != nil {
		return nil, err
	}
	data, err := s.slice(mem, vm.Load, dataPtr, dataLen, 1, 1)
	if err != nil {
		return nil, err
	}
	req.Data = append([]byte(nil), data...)
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
	return req, nil
}

// signers translates the signer seeds, a slice of seed lists each a slice
// of (pointer, length) byte slices (the Rust &[&[&[u8]]] and the C
// SolSignerSeedsC share the layout), and derives each signer's program
// address in turn, as translate_signers does.
func (s *session) signers(mem *vm.MemoryMapping, addr, n uint64) ([]pubkey.Pubkey, error) {
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
	out := make([]pubkey.Pubkey, 0, n)
	for i := uint64(0); i < n; i++ {
		p, l := pair(lists, i)
		raw, err := s.slice(mem, vm.Load, p, l, 16, 8)
		if err != nil {
			return nil, err
		}
		if l > pubkey.MaxSeeds {
			return nil, instructionErr(MaxSeedLengthExceeded)
		}
		seeds, err := s.byteSlices(mem, raw, l)
		if err != nil {
			return nil, err
		}
		addr, err := pubkey.CreateProgramAddress(seeds, s.ix.ProgramID)
		if err != nil {
			return nil, user(&SyscallError{Kind: BadSeeds, Text: err.Error()})
		}
		out = append(out, addr)
	}
	return out, nil
}
