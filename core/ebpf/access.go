package ebpf

// AccessAddr is the VM address a load or store instruction accesses when
// it runs with registers regs (r0-r10), computed as rbpf v0.2.8's
// interpreter does (src/vm.rs, execute_program_interpreted_inner):
// ldx reads at src + off and st/stx write at dst + off (off sign-extended,
// wrapping); ld_abs reads at MMInputStart + imm and ld_ind at MMInputStart
// + src + imm (imm zero-extended, wrapping). The access's size is
// Opc.AccessSize(). ok is false for an instruction that accesses no memory
// or uses a register field naming a register above r10 (one it does not
// use may name any: ld_abs uses neither).
func AccessAddr(in Insn, regs *[11]uint64) (addr uint64, ok bool) {
	use := in.Opc.Uses()
	if !in.Opc.Executed() || use&UsesDst != 0 && in.Dst > 10 || use&UsesSrc != 0 && in.Src > 10 {
		return 0, false
	}
	switch in.Opc.Form() {
	case FormLoadReg:
		return regs[in.Src] + uint64(int64(in.Off)), true
	case FormStoreImm, FormStoreReg:
		return regs[in.Dst] + uint64(int64(in.Off)), true
	case FormLoadAbs:
		return MMInputStart + uint64(uint32(in.Imm)), true
	case FormLoadInd:
		return MMInputStart + regs[in.Src] + uint64(uint32(in.Imm)), true
	}
	return 0, false
}
