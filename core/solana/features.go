package solana

import (
	"encoding/json"
	"sort"
	"strings"
)

// Features are the runtime features of v1.6.9 that change what a program
// run does. A bank activates them by feature accounts; solana-test-validator
// and program tests activate all of them, and so does AllFeatures, the
// default. A document switches one off with "features": {"name": false}.
type Features struct {
	// SysvarViaSyscall registers sol_get_{clock,epoch_schedule,fees,rent}_sysvar.
	SysvarViaSyscall bool
	// Keccak256Syscall registers sol_keccak256.
	Keccak256Syscall bool
	// MemoryOpsSyscalls registers sol_memcpy_, sol_memmove_, sol_memcmp_
	// and sol_memset_. They came with v1.7 (feature memory_ops_syscalls,
	// with mem_overlap_fix); v1.6.9 has none, so this is off by default,
	// and a program built with a v1.7 SDK that calls them stops at an
	// unresolved symbol unless the document switches it on.
	MemoryOpsSyscalls bool
	// SkipRODeserialization leaves read-only accounts out of the
	// deserialization: a program's writes to them are dropped, not
	// reported as ReadonlyDataModified.
	SkipRODeserialization bool
}

// featureNames are the features' names in the release's feature_set.rs.
var featureNames = []struct {
	name string
	get  func(*Features) *bool
}{
	{"keccak256_syscall_enabled", func(f *Features) *bool { return &f.Keccak256Syscall }},
	{"memory_ops_syscalls", func(f *Features) *bool { return &f.MemoryOpsSyscalls }},
	{"skip_ro_deserialization", func(f *Features) *bool { return &f.SkipRODeserialization }},
	{"sysvar_via_syscall", func(f *Features) *bool { return &f.SysvarViaSyscall }},
}

// AllFeatures has every feature of v1.6.9 active (MemoryOpsSyscalls,
// from v1.7, stays off).
func AllFeatures() Features {
	return Features{SysvarViaSyscall: true, Keccak256Syscall: true, SkipRODeserialization: true}
}

// FeatureNames lists the names a document may switch.
func FeatureNames() []string {
	out := make([]string, len(featureNames))
	for i, f := range featureNames {
		out[i] = f.name
	}
	return out
}

func (f *Features) parse(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var m map[string]bool
	if err := json.Unmarshal(raw, &m); err != nil {
		return fieldErr("features", "%v", err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		found := false
		for _, n := range featureNames {
			if n.name == k {
				*n.get(f) = m[k]
				found = true
			}
		}
		if !found {
			return fieldErr("features."+k, "unknown feature (known: %s)", strings.Join(FeatureNames(), ", "))
		}
	}
	return nil
}

// changed lists the features that differ from AllFeatures, for writing a
// document back.
func (f Features) changed() map[string]bool {
	all := AllFeatures()
	var m map[string]bool
	for _, n := range featureNames {
		if v := *n.get(&f); v != *n.get(&all) {
			if m == nil {
				m = map[string]bool{}
			}
			m[n.name] = v
		}
	}
	return m
}
