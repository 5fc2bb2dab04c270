package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

// ProgramKind says how a case gives its program.
type ProgramKind string

// The three program sections.
const (
	ProgramAsm   ProgramKind = "asm"   // assembly source
	ProgramBytes ProgramKind = "bytes" // raw instruction bytes
	ProgramELF   ProgramKind = "elf"   // an ELF fixture file
)

// Verifier says which verifier a case builds its executable with.
type Verifier string

// The verifier settings of a case.
const (
	VerifierNone   Verifier = "none"   // no verifier
	VerifierCheck  Verifier = "check"  // rbpf's verifier::check
	VerifierAccept Verifier = "accept" // accepts every program
	VerifierReject Verifier = "reject" // rejects every program with RejectText
)

// Stage says how far a case goes.
type Stage string

// The stages of a case.
const (
	StageRun  Stage = "run"  // build the executable, then run it
	StageLoad Stage = "load" // only build the executable and the VM
)

// Key is a call key: a literal immediate, or the murmur3 hash of a name.
type Key struct {
	Value  uint32 // the immediate when Symbol is empty
	Symbol string // hash this name when set
}

// String formats the key as the case file writes it.
func (k Key) String() string {
	if k.Symbol != "" {
		return "sym:" + k.Symbol
	}
	return strconv.FormatUint(uint64(k.Value), 10)
}

// SyscallBinding registers syscall implementation Impl under Key.
type SyscallBinding struct {
	Key  Key
	Impl string
}

// FunctionBinding registers the function at instruction PC under Key.
type FunctionBinding struct {
	Key Key
	PC  int
}

// Patch overwrites byte Offset of the ELF file with Value.
type Patch struct {
	Offset int
	Value  byte
}

// Case is one parsed case file.
type Case struct {
	Name     string
	Upstream string
	File     string // the case file's path
	Stage    Stage

	Kind    ProgramKind
	Source  string // assembly for ProgramAsm
	Bytes   []byte // instructions for ProgramBytes
	ELFPath string // for ProgramELF: as written, relative to the repository root
	ELFFile string // ELFPath resolved against the repository root
	Patches []Patch

	Input []byte

	Verifier   Verifier
	RejectText string // the error text of VerifierReject

	Unlimited      bool   // DefaultInstructionMeter
	Budget         uint64 // TestInstructionMeter's remaining, unless Unlimited
	Meter          bool
	Tracing        bool
	MaxCallDepth   int // 0: the default
	StackFrameSize int // 0: the default

	Syscalls  []SyscallBinding
	Functions []FunctionBinding

	// Expectations. HasValue and HasError are exclusive; a load-stage case
	// expecting success has neither.
	HasValue      bool
	Value         uint64
	HasError      bool
	Error         string
	HasCount      bool
	Count         uint64
	VerifierText  string // expect.verifier, "" when not checked
	VerifierDebug string // expect.verifier_debug, "" when not checked
	HasLog        bool
	Log           []string
}

// Load parses every *.txtar file under dir (recursively), sorted by path.
// ELF paths are resolved against the repository root, the nearest
// ancestor of dir holding a go.mod.
func Load(dir string) ([]Case, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".txtar") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	root := repoRoot(dir)
	seen := map[string]string{}
	cases := make([]Case, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c, err := Parse(f, data)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[c.Name]; dup {
			return nil, fmt.Errorf("%s: case %q already defined in %s", f, c.Name, prev)
		}
		seen[c.Name] = f
		if c.Kind == ProgramELF {
			c.ELFFile = filepath.Join(root, filepath.FromSlash(c.ELFPath))
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// repoRoot walks up from dir to the folder holding go.mod; dir itself when
// there is none.
func repoRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs
		}
		d = parent
	}
}

// Hash returns the call immediate the key stands for.
func (k Key) Hash() uint32 {
	if k.Symbol != "" {
		return ebpf.HashSymbolName([]byte(k.Symbol))
	}
	return k.Value
}
