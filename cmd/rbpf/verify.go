package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/rbpfgo/rbpfgo/core/ebpf"
	"github.com/rbpfgo/rbpfgo/core/verifier"
)

func init() {
	commands["verify"] = command{"run rbpf's verifier over a program", runVerify}
}

const verifySynopsis = "rbpf verify (FILE | --asm FILE | --bytes FILE | --elf FILE) [--json]"

// verifyDoc is what `rbpf verify --json` prints.
type verifyDoc struct {
	OK    bool   `json:"ok"`
	Slots int    `json:"slots"`
	Error string `json:"error,omitempty"` // the VerifierError's text
	Debug string `json:"debug,omitempty"` // rbpf's {:?} form
	PC    *int   `json:"pc,omitempty"`    // failing instruction index
}

func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("verify")
	src := addSourceFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	pos, err := parse(fs, verifySynopsis, args, stdout)
	if err != nil {
		return err
	}
	p, err := src.resolve(pos)
	if err != nil {
		return err
	}
	text, err := textOf(p)
	if err != nil {
		return err
	}
	doc := verifyDoc{OK: true, Slots: len(text) / ebpf.InsnSize}
	var verr *verifier.Error
	if err := verifier.Check(text); errors.As(err, &verr) {
		doc.OK, doc.Error = false, verr.Error()
		doc.Debug = err.(interface{ Debug() string }).Debug()
		pc := verr.PC
		doc.PC = &pc
	} else if err != nil {
		return err
	}
	switch {
	case *asJSON:
		if err := writeJSON(stdout, doc); err != nil {
			return err
		}
	case doc.OK:
		fmt.Fprintf(stdout, "ok: %d instruction slots pass the verifier\n", doc.Slots)
	default:
		fmt.Fprintf(stdout, "rejected: %s [%s]\n", doc.Error, doc.Debug)
	}
	if !doc.OK {
		return errProgram
	}
	return nil
}
