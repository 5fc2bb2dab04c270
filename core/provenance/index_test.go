package provenance

import (
	"math/rand/v2"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/runspec"
)

// slowLastWrite is lastWrite by a scan of the whole log.
func slowLastWrite(r *Recorder, b uint64, step int) writer {
	best := none
	for i := 0; i < r.memAt.len(); i++ {
		s := int(r.memAt.at(i))
		op := ebpf.OpCode(r.text[int(r.pcs.at(s))*ebpf.InsnSize])
		if s < step && s < r.effective() && op.IsStore() && b-r.memAdr.at(i) < op.AccessSize() && s > best.step {
			best = writer{step: s, mem: i, write: -1}
		}
	}
	for i, w := range r.writes {
		s := int(r.sys[w.sys].step)
		if s < step && s < r.effective() && b-w.addr < w.n && s > best.step {
			best = writer{step: s, mem: -1, write: i}
		}
	}
	return best
}

// slowLastDef is lastDef's step by a scan of the log (exits excepted).
func slowLastDef(r *Recorder, reg, step int) int {
	for i := step - 1; i >= 0; i-- {
		if int(r.slots[r.pcs.at(i)].def) == reg {
			return i
		}
	}
	return -1
}

func TestIndexesAgreeWithAScan(t *testing.T) {
	// 5000 rounds of a loop like mixed's: fn stores 2 bytes in a window
	// sweeping 1 KiB of its frame's stack and loads 8 around them, the
	// loop frobs 3 bytes of a stored u64; queried while it is recorded
	// (the indexes packed and not).
	spec := asmSpec(`
    mov64 r6, 0
loop:
    stxb [r10-1], r6
    mov64 r1, r6
    call fn
    ldxb r7, [r10-1]
    add64 r7, r0
    stxdw [r10-16], r7
    mov64 r1, r10
    add64 r1, -16
    mov64 r2, 3
    call 1
    add64 r6, 1
    jlt r6, 5000, loop
    ldxdw r0, [r10-16]
    exit
fn:
    and64 r1, 1023
    mov64 r2, r10
    sub64 r2, 2048
    add64 r2, r1
    stxh [r2+0], r1
    ldxdw r0, [r2-4]
    lsh64 r0, 1
    exit`, nil)
	spec.Syscalls = []runspec.Binding{{Key: "1", Name: "bpf_mem_frob"}}
	m := newVM(t, spec, nil)
	r, err := NewRecorder(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	checks := 0
	for !m.Done() {
		r.Step(1 + rng.IntN(3000))
		r.update()
		n := r.effective()
		for range 20 {
			step := rng.IntN(n + 1)
			// The root frame's top 32 bytes, or fn's frame's window.
			b := 0x200001000 - 32 + uint64(rng.IntN(32))
			if rng.IntN(2) == 0 {
				b = 0x200003000 - 2048 - 8 + uint64(rng.IntN(1024+16))
			}
			if got, want := r.lastWrite(b, step), slowLastWrite(r, b, step); got != want {
				t.Fatalf("byte %#x before step %d: %+v, want %+v", b, step, got, want)
			}
			reg := rng.IntN(6) // r0-r5: exits do not set them
			if got, _ := r.lastDef(reg, step); got != slowLastDef(r, reg, step) {
				t.Fatalf("r%d before step %d: %d, want %d", reg, step, got, slowLastDef(r, reg, step))
			}
			checks++
		}
	}
	x := &r.idx
	if len(x.full.keys) == 0 || len(x.bytes.keys) == 0 || len(x.full.pending)+len(x.bytes.pending) == 0 || checks < 100 || m.Result().Err != nil {
		t.Errorf("%d blocks and %d bytes packed, %d bytes pending, %d checks, %v",
			len(x.full.keys), len(x.bytes.keys), len(x.bytes.pending), checks, m.Result().Err)
	}
}
