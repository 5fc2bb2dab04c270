//go:build linux && amd64

package jit

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/rbpfgo/rbpfgo/core/vm"
)

// TestContextOffsets keeps the offsets the generated code uses in step
// with the Go layout of context and regionDesc.
func TestContextOffsets(t *testing.T) {
	var c context
	base := unsafe.Offsetof(c.regs)
	check := func(name string, got uintptr, want int) {
		t.Helper()
		if int(got-base) != want {
			t.Errorf("%s at %d, constant says %d", name, got-base, want)
		}
	}
	check("regs", unsafe.Offsetof(c.regs), ctxRegs)
	check("rem", unsafe.Offsetof(c.rem), ctxRem)
	check("exitCode", unsafe.Offsetof(c.exitCode), ctxExitCode)
	check("exitPC", unsafe.Offsetof(c.exitPC), ctxExitPC)
	check("exitArg", unsafe.Offsetof(c.exitArg), ctxExitArg)
	check("resume", unsafe.Offsetof(c.resume), ctxResume)
	check("tripPC", unsafe.Offsetof(c.tripPC), ctxTripPC)
	check("frame", unsafe.Offsetof(c.frame), ctxFrame)
	check("frames", unsafe.Offsetof(c.frames), ctxFrames)
	check("frameLimit", unsafe.Offsetof(c.frameLimit), ctxFrameLimit)
	check("traceCur", unsafe.Offsetof(c.traceCur), ctxTraceCur)
	check("traceEnd", unsafe.Offsetof(c.traceEnd), ctxTraceEnd)
	check("goSP", unsafe.Offsetof(c.goSP), ctxGoSP)
	check("goBP", unsafe.Offsetof(c.goBP), ctxGoBP)
	check("goR14", unsafe.Offsetof(c.goR14), ctxGoR14)
	check("goR15", unsafe.Offsetof(c.goR15), ctxGoR15)
	check("regionCount", unsafe.Offsetof(c.regionCount), ctxRegionCount)
	check("regionLast", unsafe.Offsetof(c.regionLast), ctxRegionLast)
	check("buckets", unsafe.Offsetof(c.buckets), ctxBuckets)
	check("empty", unsafe.Offsetof(c.empty), ctxEmpty)
	check("curFrame", unsafe.Offsetof(c.curFrame), ctxCurFrame)
	check("frameDescs", unsafe.Offsetof(c.frameDescs), ctxFrameDescs)
	check("input", unsafe.Offsetof(c.input), ctxInput)
	check("watchLists", unsafe.Offsetof(c.watchLists), ctxWatchLists)
	check("watchPending", unsafe.Offsetof(c.watchPending), ctxWatchPend)
	check("watchPC", unsafe.Offsetof(c.watchPC), ctxWatchPC)
	check("watchAddr", unsafe.Offsetof(c.watchAddr), ctxWatchAddr)
	check("watchIdx", unsafe.Offsetof(c.watchIdx), ctxWatchIdx)
	check("watchOld", unsafe.Offsetof(c.watchOld), ctxWatchOld)
	check("watchRem", unsafe.Offsetof(c.watchRem), ctxWatchRem)
	if base != nativeStackWords*8 {
		t.Errorf("regs at %d, want right after the native stack", base)
	}
	var d regionDesc
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"vm", unsafe.Offsetof(d.vm), descVM},
		{"gapBit", unsafe.Offsetof(d.gapBit), descGapBit},
		{"hiMask", unsafe.Offsetof(d.hiMask), descHiMask},
		{"host", unsafe.Offsetof(d.host), descHost},
		{"limit", unsafe.Offsetof(d.limit), descLimit},
		{"size", unsafe.Sizeof(d), descSize},
	} {
		if f.got != f.want {
			t.Errorf("regionDesc.%s at %d, constant says %d", f.name, f.got, f.want)
		}
	}
	if got := unsafe.Sizeof(vm.TraceEntry{}); got != 8*traceWords {
		t.Errorf("vm.TraceEntry is %d bytes, traceWords says %d", got, 8*traceWords)
	}
}

// TestTrampolineOffsets checks the literal offsets in enter_amd64.s.
func TestTrampolineOffsets(t *testing.T) {
	src, err := os.ReadFile("enter_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"MOVQ SP, " + strconv.Itoa(ctxGoSP) + "(AX)",
		"MOVQ BP, " + strconv.Itoa(ctxGoBP) + "(AX)",
		"MOVQ R14, " + strconv.Itoa(ctxGoR14) + "(AX)",
		"MOVQ R15, " + strconv.Itoa(ctxGoR15) + "(AX)",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("enter_amd64.s lacks %q", want)
		}
	}
}
