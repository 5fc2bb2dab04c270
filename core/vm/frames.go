package vm

import "github.com/rbpfgo/rbpfgo/core/ebpf"

// Frame is one call frame as rbpf's CallFrames keeps it: where its stack
// lives, the callee-saved registers r6-r9 of the caller and the index to
// return to. Only frames below the current one hold saved state.
type Frame struct {
	VMAddr   uint64                   `json:"vm_addr"`
	SavedReg [ebpf.ScratchRegs]uint64 `json:"saved_reg"`
	ReturnPC int                      `json:"return_pc"`
}

// CallFrames is rbpf's call-frame stack: MaxCallDepth frames, frame i's
// stack at MMStackStart + i*2*frameSize, so that an unmapped gap of one
// frame separates neighbours.
type CallFrames struct {
	stack  []byte
	region MemoryRegion
	index  int
	max    int
	frames []Frame
}

// NewCallFrames allocates depth frames of frameSize bytes each.
func NewCallFrames(depth, frameSize int) *CallFrames {
	stack := make([]byte, depth*frameSize)
	f := &CallFrames{
		stack:  stack,
		region: NewRegion(stack, ebpf.MMStackStart, uint64(frameSize), true),
		frames: make([]Frame, depth),
	}
	for i := range f.frames {
		f.frames[i].VMAddr = ebpf.MMStackStart + uint64(i)*2*uint64(frameSize)
	}
	return f
}

// Region is the stack's memory region (writable, with frame-sized gaps).
func (f *CallFrames) Region() MemoryRegion { return f.region }

// StackTop is the initial r10 of the current frame: its start plus the gap
// size (the frame size when that is a power of two).
func (f *CallFrames) StackTop() uint64 {
	return f.frames[f.index].VMAddr + uint64(1)<<f.region.GapShift
}

// Index is the current frame; 0 is the root frame.
func (f *CallFrames) Index() int { return f.index }

// MaxIndex is the deepest frame index reached so far.
func (f *CallFrames) MaxIndex() int { return f.max }

// Depth is the number of frames (the configured maximum call depth).
func (f *CallFrames) Depth() int { return len(f.frames) }

// Frames returns the frames from the root up to and including the current
// one. The slice is a copy.
func (f *CallFrames) Frames() []Frame {
	return append([]Frame(nil), f.frames[:f.index+1]...)
}

// Push saves r6-r9 (saved must hold at least four registers) and the return
// index, enters the next frame and returns its stack top. With all frames in
// use it fails with CallDepthExceeded, numbered from returnPC.
func (f *CallFrames) Push(saved []uint64, returnPC int) (uint64, error) {
	if f.index+1 >= len(f.frames) {
		return 0, newCallDepthExceeded(returnPC, len(f.frames))
	}
	fr := &f.frames[f.index]
	copy(fr.SavedReg[:], saved[:ebpf.ScratchRegs])
	fr.ReturnPC = returnPC
	f.index++
	f.max = max(f.max, f.index)
	return f.StackTop(), nil
}

// Pop leaves the current frame and returns the caller's saved registers,
// its stack top and the index to return to; in the root frame it fails with
// ExitRootCallFrame.
func (f *CallFrames) Pop() (saved [ebpf.ScratchRegs]uint64, stackTop uint64, returnPC int, err error) {
	if f.index == 0 {
		return saved, 0, 0, &Error{Kind: ExitRootCallFrame}
	}
	f.index--
	fr := &f.frames[f.index]
	return fr.SavedReg, f.StackTop(), fr.ReturnPC, nil
}

// reset returns to the root frame and clears the stack, for reusing a VM.
func (f *CallFrames) reset() {
	f.index, f.max = 0, 0
	clear(f.stack)
}
