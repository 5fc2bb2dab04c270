//go:build linux && amd64

package jit

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/core/asm"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// mappings counts the process's memory mappings.
func mappings(t *testing.T) int {
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps")
	}
	return bytes.Count(data, []byte{'\n'})
}

// rssKiB is the process's resident set size.
func rssKiB(t *testing.T) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}

func resourceExe(t *testing.T) *vm.Executable {
	text, err := asm.Assemble("mov64 r0, 0\nstxdw [r10-8], r0\nldxdw r0, [r10-8]\nadd64 r0, 1\nexit")
	if err != nil {
		t.Fatal(err)
	}
	exe, err := vm.FromText(text, vm.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// TestResourcesStayFlat compiles and runs a program 100 000 times (10 000
// with -short): the number of mappings and the resident set must not grow
// with the count.
func TestResourcesStayFlat(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	exe := resourceExe(t)
	run := func(k int) {
		for i := 0; i < k; i++ {
			if r := (Engine{}).Run(exe, vm.RunOptions{Budget: 100}); r.Err != nil || r.Value != 1 {
				t.Fatalf("run %d: %v %d", i, r.Err, r.Value)
			}
		}
	}
	run(1000) // warm up the heap
	runtime.GC()
	maps0, rss0 := mappings(t), rssKiB(t)
	run(n)
	runtime.GC()
	maps1, rss1 := mappings(t), rssKiB(t)
	t.Logf("%d runs: mappings %d -> %d, RSS %d -> %d KiB", n, maps0, maps1, rss0, rss1)
	if maps1 > maps0+8 {
		t.Errorf("mappings grew from %d to %d", maps0, maps1)
	}
	if rss1 > rss0+32*1024 {
		t.Errorf("RSS grew from %d KiB to %d KiB", rss0, rss1)
	}
}

// TestUnclosedProgramsAreUnmapped drops programs without Close: the
// garbage collector's cleanup must unmap their code.
func TestUnclosedProgramsAreUnmapped(t *testing.T) {
	exe := resourceExe(t)
	runtime.GC()
	maps0 := mappings(t)
	for i := 0; i < 500; i++ {
		p, err := Compile(exe, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r := p.run(vm.RunOptions{Budget: 100}); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for mappings(t) > maps0+8 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if m := mappings(t); m > maps0+8 {
		t.Errorf("mappings grew from %d to %d after dropping 500 programs", maps0, m)
	}
}
