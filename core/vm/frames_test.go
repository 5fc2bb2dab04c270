package vm

import (
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func TestCallFrames(t *testing.T) {
	const depth, size = 10, 8
	f := NewCallFrames(depth, size)
	for i := 0; i < depth-1; i++ {
		if f.Index() != i {
			t.Fatalf("index %d, want %d", f.Index(), i)
		}
		regs := []uint64{uint64(i), uint64(i), uint64(i), uint64(i)}
		top, err := f.Push(regs, i)
		if err != nil {
			t.Fatal(err)
		}
		want := ebpf.MMStackStart + uint64(i+1)*2*size + size
		if top != want {
			t.Fatalf("push %d: top %#x, want %#x", i, top, want)
		}
	}
	_, err := f.Push([]uint64{0, 0, 0, 0}, 41)
	if err == nil || err.Error() != "exceeded max BPF to BPF call depth of 10 at instruction #69" {
		t.Fatalf("overflow: %v", err)
	}
	if f.MaxIndex() != depth-1 || len(f.Frames()) != depth {
		t.Errorf("max %d frames %d", f.MaxIndex(), len(f.Frames()))
	}
	for i := depth - 2; i >= 0; i-- {
		saved, top, ret, err := f.Pop()
		if err != nil {
			t.Fatal(err)
		}
		if saved != [4]uint64{uint64(i), uint64(i), uint64(i), uint64(i)} || ret != i ||
			top != ebpf.MMStackStart+uint64(i)*2*size+size {
			t.Fatalf("pop %d: %v %#x %d", i, saved, top, ret)
		}
	}
	if _, _, _, err := f.Pop(); err == nil || err.Error() != "attempted to exit root call frame" {
		t.Fatalf("pop root: %v", err)
	}
}

func TestNonPowerOfTwoFrameSize(t *testing.T) {
	// rbpf takes the gap from the highest bit: 24-byte frames get 16-byte
	// gaps and a stack top 16 bytes in.
	f := NewCallFrames(2, 24)
	if f.Region().GapShift != 4 || f.StackTop() != ebpf.MMStackStart+16 {
		t.Errorf("shift %d top %#x", f.Region().GapShift, f.StackTop())
	}
}
