package vm

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// Reset prepares the VM for another run of the same executable with a new
// input and budget, reusing its stack, decoded program and memory mapping,
// so that repeated runs allocate nothing beyond what the program itself
// logs or traces. The stack is cleared, the registers, call frames, meter,
// log, trace and watch hits start afresh; granted regions, watchpoints and
// syscall context objects are kept (as when rbpf runs one EbpfVm twice).
// It fails, leaving the VM unchanged, when the new input would overlap the
// next region.
func (vm *VM) Reset(input []byte, budget uint64) error {
	if err := vm.mem.replaceHost(ebpf.MMInputStart, input); err != nil {
		return err
	}
	vm.frames.reset()
	vm.pc, vm.last, vm.settled = 0, 0, 0
	vm.done, vm.result = false, Result{}
	vm.log.lines, vm.log.bytes, vm.log.truncated = nil, 0, false
	vm.tracer = nil
	vm.watch.reset()
	if len(vm.watch.watches) > 0 {
		_ = vm.SetWatches(vm.watch.watches) // the input's extent may have changed
	}
	vm.start(budget)
	return nil
}

// replaceHost gives the region that starts at vmAddr, the last added if
// several do, new host bytes, as long as the mapping stays free of
// overlaps.
func (m *MemoryMapping) replaceHost(vmAddr uint64, host []byte) error {
	i := len(m.keys) - 1
	for i >= 0 && m.keys[i] != vmAddr {
		i--
	}
	if i < 0 {
		return &Error{Kind: InvalidVirtualAddress, Addr: vmAddr}
	}
	if i+1 < len(m.keys) {
		if end := vmAddr + uint64(len(host)); end < vmAddr || end > m.keys[i+1] {
			return &Error{Kind: VirtualAddressOverlap, Addr: m.keys[i+1]}
		}
	}
	m.regions[i].Host = host
	return nil
}
