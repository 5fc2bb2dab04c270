//go:build linux && amd64 && !jitguard

package jit

import "github.com/rbpfgo/rbpfgo/core/vm"

// guardedRegion is empty outside jitguard builds.
type guardedRegion struct{}

// guardRegions returns the regions unchanged: the generated code works on
// the VM's memory directly. (The jitguard build tag swaps in copies
// surrounded by inaccessible pages.)
func (r *run) guardRegions(regions []vm.MemoryRegion) []vm.MemoryRegion { return regions }

func (r *run) toGuarded()      {}
func (r *run) fromGuarded()    {}
func (r *run) releaseGuarded() {}
