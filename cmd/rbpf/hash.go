package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
)

func init() {
	commands["hash"] = command{"murmur3 call hash of a symbol name or an instruction index", runHash}
}

const hashSynopsis = "rbpf hash (NAME ... | --pc N) [--steps] [--json]"

// hashDoc is what `rbpf hash --json` prints.
type hashDoc struct {
	Name  string          `json:"name,omitempty"`
	PC    *uint64         `json:"pc,omitempty"`
	Hash  string          `json:"hash"`
	Imm   int32           `json:"imm"`
	Steps *ebpf.HashSteps `json:"steps,omitempty"`
}

func runHash(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("hash")
	steps := fs.Bool("steps", false, "show every intermediate value of the murmur3 computation")
	asJSON := fs.Bool("json", false, "print one JSON object per name")
	pcText := fs.String("pc", "", "hash instruction index `N` (as rbpf keys functions known only by pc)")
	pos, err := parse(fs, hashSynopsis, args, stdout)
	if err != nil {
		return err
	}
	var docs []hashDoc
	switch {
	case *pcText != "" && len(pos) == 0:
		pc, err := parseUint(*pcText, 64)
		if err != nil {
			return fmt.Errorf("--pc: %v", err)
		}
		docs = append(docs, hashDoc{PC: &pc})
	case *pcText == "" && len(pos) > 0:
		for _, name := range pos {
			docs = append(docs, hashDoc{Name: name})
		}
	default:
		return fmt.Errorf("expected NAME ... or --pc N (usage: %s)", hashSynopsis)
	}
	for _, d := range docs {
		if err := writeHash(stdout, d, *steps, *asJSON); err != nil {
			return err
		}
	}
	return nil
}

// writeHash hashes one name or pc and prints it.
func writeHash(w io.Writer, doc hashDoc, steps, asJSON bool) error {
	input := []byte(doc.Name)
	if doc.PC != nil {
		input = ebpf.PCKey(*doc.PC)
	}
	s := ebpf.HashSymbolNameSteps(input)
	doc.Hash = fmt.Sprintf("0x%08x", s.Hash)
	doc.Imm = s.Imm
	if steps {
		doc.Steps = &s
	}
	if asJSON {
		return writeJSON(w, doc)
	}
	if doc.PC != nil {
		fmt.Fprintf(w, "pc %d (bytes % x): %s (call imm %d)\n", *doc.PC, input, doc.Hash, doc.Imm)
	} else {
		fmt.Fprintf(w, "%q: %s (call imm %d)\n", doc.Name, doc.Hash, doc.Imm)
	}
	if steps {
		writeHashSteps(w, &s)
	}
	return nil
}

// writeHashSteps prints the murmur3 computation one operation per line.
func writeHashSteps(w io.Writer, s *ebpf.HashSteps) {
	fmt.Fprintf(w, "seed h = 0x%08x\n", s.Seed)
	for _, b := range s.Blocks {
		fmt.Fprintf(w, "block @%d [% x]: k = 0x%08x\n", b.Offset, b.Bytes, b.K)
		fmt.Fprintf(w, "  k *= 0xcc9e2d51    -> 0x%08x\n", b.KMul1)
		fmt.Fprintf(w, "  k = rotl(k, 15)    -> 0x%08x\n", b.KRot)
		fmt.Fprintf(w, "  k *= 0x1b873593    -> 0x%08x\n", b.KMul2)
		fmt.Fprintf(w, "  h ^= k             -> 0x%08x\n", b.HXor)
		fmt.Fprintf(w, "  h = rotl(h, 13)    -> 0x%08x\n", b.HRot)
		fmt.Fprintf(w, "  h = h*5+0xe6546b64 -> 0x%08x\n", b.HOut)
	}
	if t := s.Tail; t != nil {
		fmt.Fprintf(w, "tail @%d [% x]: k = 0x%08x\n", t.Offset, t.Bytes, t.K)
		fmt.Fprintf(w, "  k *= 0xcc9e2d51    -> 0x%08x\n", t.KMul1)
		fmt.Fprintf(w, "  k = rotl(k, 15)    -> 0x%08x\n", t.KRot)
		fmt.Fprintf(w, "  k *= 0x1b873593    -> 0x%08x\n", t.KMul2)
		fmt.Fprintf(w, "  h ^= k             -> 0x%08x\n", t.HOut)
	}
	f := s.Final
	fmt.Fprintf(w, "finalize (length %d):\n", f.Length)
	fmt.Fprintf(w, "  h ^= length        -> 0x%08x\n", f.XorLen)
	fmt.Fprintf(w, "  h ^= h >> 16       -> 0x%08x\n", f.Shr16a)
	fmt.Fprintf(w, "  h *= 0x85ebca6b    -> 0x%08x\n", f.Mul1)
	fmt.Fprintf(w, "  h ^= h >> 13       -> 0x%08x\n", f.Shr13)
	fmt.Fprintf(w, "  h *= 0xc2b2ae35    -> 0x%08x\n", f.Mul2)
	fmt.Fprintf(w, "  h ^= h >> 16       -> 0x%08x\n", f.Shr16b)
}

// writeJSON prints v as one line of JSON.
func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
