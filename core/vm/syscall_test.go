package vm

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func TestRegistry(t *testing.T) {
	r := NewSyscallRegistry()
	if err := r.RegisterByName("log", SyscallString); err != nil {
		t.Fatal(err)
	}
	h := ebpf.HashSymbolName([]byte("log"))
	if e, ok := r.Lookup(h); !ok || e.Func != SyscallString || e.Slot != 0 {
		t.Fatalf("lookup: %+v %v", e, ok)
	}
	if err := r.RegisterByHash(h, BpfMemFrob); err == nil || err.Error() != "syscall #"+itoa(uint64(h))+" was already registered before" {
		t.Errorf("duplicate hash: %v", err)
	}
	// The same implementation under a second hash is refused too.
	if err := r.RegisterByHash(7, SyscallString); err == nil || err.Error() != "syscall #7 was already registered before" {
		t.Errorf("duplicate function: %v", err)
	}
	if f, ok := LookupSyscallFunc("bpf_mem_frob"); !ok || f != BpfMemFrob {
		t.Error("name table misses bpf_mem_frob")
	}
	if names := SyscallFuncNames(); len(names) != 11 || names[0] != "bpf_gather_bytes" {
		t.Errorf("names %v", names)
	}
}

func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}

func callStd(t *testing.T, fn *SyscallFunc, mem *MemoryMapping, args ...uint64) (uint64, error, *runLog) {
	t.Helper()
	a := make([]uint64, 5)
	copy(a, args)
	l := &runLog{limit: DefaultMaxLogBytes}
	v, err := fn.New().Call(&SyscallContext{log: l}, a[0], a[1], a[2], a[3], a[4], mem)
	return v, err, l
}

func TestStandardSyscalls(t *testing.T) {
	v, err, l := callStd(t, BpfTracePrintf, nil, 0, 0, 1, 15, 32)
	if err != nil || v != uint64(len("BpfTracePrintf: 0x1, 0xf, 0x20\n")) || l.lines[0] != "BpfTracePrintf: 0x1, 0xf, 0x20" {
		t.Errorf("trace_printf: %d %v %q", v, err, l.lines)
	}
	if v, _, _ := callStd(t, BpfGatherBytes, nil, 0x11, 0x22, 0x33, 0x44, 0x55); v != 0x1122334455 {
		t.Errorf("gather_bytes %#x", v)
	}
	if v, _, _ := callStd(t, BpfSqrtI, nil, 9); v != 3 {
		t.Errorf("sqrti %d", v)
	}
	val := []byte{0, 0, 0, 0, 0, 0x11, 0x22, 0x33}
	mem, _ := NewMemoryMapping([]MemoryRegion{NewRegion(val, 0x1000, 0, true)}, DefaultConfig())
	callStd(t, BpfMemFrob, mem, 0x1000, 8)
	if !bytes.Equal(val, []byte{0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x3b, 0x08, 0x19}) {
		t.Errorf("memfrob %x", val)
	}
	if _, err, _ := callStd(t, BpfMemFrob, mem, 0x1000, 9); err == nil ||
		err.Error() != "Access violation in unknown section at address 0x1000 of size 9 by instruction #0" {
		t.Errorf("memfrob out of bounds: %v", err)
	}
	for i := 0; i < 100; i++ {
		if n, _, _ := callStd(t, BpfRand, nil, 3, 6); n < 3 || n > 6 {
			t.Fatalf("rand %d", n)
		}
	}
	if _, err, _ := callStd(t, BpfRand, nil, 0, ^uint64(0)); err != nil {
		t.Error(err)
	}
}

func TestStrCmp(t *testing.T) {
	foo, bar := []byte("This is a string.\x00"), []byte("This is another sting.\x00")
	mem, _ := NewMemoryMapping([]MemoryRegion{NewRegion(foo, 0x1000, 0, false), NewRegion(bar, 0x2000, 0, false)}, DefaultConfig())
	if v, err, _ := callStd(t, BpfStrCmp, mem, 0x1000, 0x1000); v != 0 || err != nil {
		t.Errorf("equal: %d %v", v, err)
	}
	if v, _, _ := callStd(t, BpfStrCmp, mem, 0x1000, 0x2000); v != 'n'-' ' {
		t.Errorf("different: %d", v)
	}
	if v, _, _ := callStd(t, BpfStrCmp, mem, 0, 0x2000); v != ^uint64(0) {
		t.Errorf("null: %d", v)
	}
	unterminated, _ := NewMemoryMapping([]MemoryRegion{NewRegion([]byte("ab"), 0x1000, 0, false)}, DefaultConfig())
	if _, err, _ := callStd(t, BpfStrCmp, unterminated, 0x1000, 0x1000); err == nil ||
		!strings.Contains(err.Error(), "address 0x1002 of size 1") {
		t.Errorf("unterminated: %v", err)
	}
}

func TestLogSyscalls(t *testing.T) {
	text := []byte("Hello\xff")
	mem, _ := NewMemoryMapping([]MemoryRegion{NewRegion(text, 0x1000, 0, false)}, DefaultConfig())
	_, _, l := callStd(t, SyscallString, mem, 0x1000, 5)
	_, _, l2 := callStd(t, SyscallString, mem, 0x1000, 6)
	_, _, l3 := callStd(t, SyscallU64, mem, 1, 2, 3, 4, 0xff)
	got := []string{l.lines[0], l2.lines[0], l3.lines[0]}
	want := []string{"log: Hello", "log: Invalid UTF-8 String", "dump_64: 0x1, 0x2, 0x3, 0x4, 0xff, <memory mapping>"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %q, want %q", i, got[i], want[i])
		}
	}
}

func TestLogLimitAndWriter(t *testing.T) {
	var w bytes.Buffer
	exe := mustExe(t, "mov64 r6, 0\nmov64 r1, 1\ncall 0\nadd64 r6, 1\njlt r6, 10, -4\nexit", withSyscall(0, SyscallU64))
	r := Interpreter{}.Run(exe, RunOptions{Budget: 1000, Log: &w, MaxLogBytes: 100})
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if len(r.Log) != 2 || !r.LogTruncated {
		t.Errorf("kept %d lines, truncated %v", len(r.Log), r.LogTruncated)
	}
	if strings.Count(w.String(), "\n") != 10 {
		t.Errorf("writer got %q", w.String())
	}
}

// TestLogStringWhenFull checks that the log syscall still checks its memory
// once the log is full: the line is dropped, an out-of-region string is
// still an access violation.
func TestLogStringWhenFull(t *testing.T) {
	// r1 = input, r2 = 64: log the whole input, ten times, then log one
	// byte past the input's end.
	src := "mov64 r7, r1\nmov64 r6, 0\nmov64 r1, r7\nmov64 r2, 64\ncall 0\nadd64 r6, 1\njlt r6, 10, -5\nmov64 r1, r7\nmov64 r2, 65\ncall 0\nexit"
	exe := mustExe(t, src, withSyscall(0, SyscallString))
	input := bytes.Repeat([]byte("a"), 64)
	r := Interpreter{}.Run(exe, RunOptions{Budget: 1000, Input: input, MaxLogBytes: 100})
	if len(r.Log) != 1 || !r.LogTruncated || r.Log[0] != "log: "+string(input) {
		t.Errorf("kept %q, truncated %v", r.Log, r.LogTruncated)
	}
	var e *Error
	if !errors.As(r.Err, &e) || e.Kind != AccessViolation {
		t.Errorf("logging past the input: %v", r.Err)
	}
}
