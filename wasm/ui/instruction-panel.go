package ui

import (
	"fmt"
	"strings"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
)

// InstructionPanel is the Instruction view: the run mode, the verifier's
// verdict, the instruction (or a bare run's input) and the last run's
// outcome.
type InstructionPanel struct {
	App *App
}

// ModeText explains the run mode.
func (d *DebugState) ModeText() string {
	if d.Runtime() {
		return "Runs as Solana v1.6.9 runs a program's entrypoint: the accounts and data serialized into the input, the loader's sol_* syscalls, the compute budget, and the account checks afterwards."
	}
	return "Runs as rbpf v0.2.8 runs a program on its own (for conformance): the input bytes below, an instruction budget and rbpf's test syscalls."
}

// VerdictClass colours the verifier's box.
func (p *Loaded) VerdictClass() string {
	if p.VerifierRejects() {
		return "bad"
	}
	return "ok"
}

// RunCommand is the CLI command that makes the same run.
func (d *DebugState) RunCommand() string {
	name := "PROGRAM.so"
	if p := d.hub.program(); p != nil {
		name = p.Name
	}
	if d.Runtime() {
		cmd := "same run: rbpf run --elf " + name + " --instruction instruction.json"
		if d.Verify {
			cmd += " --verify"
		}
		if d.anyway {
			cmd += " --run-anyway"
		}
		return cmd
	}
	cmd := "same run: rbpf run --elf " + name
	if in := strings.Join(strings.Fields(d.InputHex), ""); in != "" {
		cmd += " --input " + in
	}
	if d.Budget != "" && d.Budget != fmt.Sprint(DefaultBudget) {
		cmd += " --budget " + d.Budget
	} else {
		cmd += fmt.Sprintf(" --budget %d", DefaultBudget)
	}
	if d.Verify {
		cmd += " --verify"
	}
	return cmd
}

// SetAcct changes a text field of account i.
func (f *IxForm) SetAcct(i int, key, value string) {
	f.SetField(fmt.Sprintf("accounts.%d.%s", i, key), value)
}

// DataPlaceholder hints at what an encoding takes.
//
//go:noinline
func (f *IxForm) DataPlaceholder(enc string) string {
	switch enc {
	case "hex":
		return "hex bytes, e.g. 00 09 ab"
	case "base58":
		return "base58, as explorers show it"
	case "base64":
		return "base64"
	case "size":
		return "size in bytes (zeros)"
	}
	return "text, sent as UTF-8"
}

// OwnerNote names a well-known owner.
//
//go:noinline
func (f *IxForm) OwnerNote(owner string) string {
	switch owner {
	case f.ProgramID:
		return "= the program"
	case pubkey.SystemProgramID.String():
		return "= system program"
	case pubkey.SysvarOwnerID.String():
		return "= sysvar"
	case pubkey.BPFLoaderID.String():
		return "= BPF loader"
	case pubkey.BPFLoaderDeprecatedID.String():
		return "= deprecated BPF loader"
	case pubkey.BPFLoaderUpgradeableID.String():
		return "= upgradeable BPF loader"
	}
	return ""
}

// ToggleMore shows or hides the sysvars and features.
func (f *IxForm) ToggleMore() { f.More = !f.More }

// MoreLabel is the label of the button that shows the sysvars.
func (f *IxForm) MoreLabel() string {
	if f.More {
		return "hide sysvars and features"
	}
	n := 0
	for _, s := range f.Sysvars {
		if s.Set {
			n++
		}
	}
	if n > 0 {
		return fmt.Sprintf("sysvars (%d set) and features…", n)
	}
	return "sysvars and features…"
}

// ToggleJSON shows or hides the document box.
func (f *IxForm) ToggleJSON() {
	f.JSON = !f.JSON
	f.Text = ""
}

// JSONLabel is the label of the document box's button.
func (f *IxForm) JSONLabel() string {
	if f.JSON {
		return "hide the JSON document"
	}
	return "JSON document…"
}

// Summary is the debugger's one line about the instruction it runs.
func (f *IxForm) Summary() string {
	b, ok := decodeData(f.Data, f.DataEnc)
	data := "data not valid " + f.DataEnc
	if ok {
		data = count(uint64(len(b)), "byte") + " of data"
	}
	cu := "200 000"
	if f.ComputeUnits != "" {
		cu = f.ComputeUnits
	}
	return fmt.Sprintf("runs as Solana v1.6.9 would: %s, %s, %s compute units", count(uint64(len(f.Accounts)), "account"), data, cu)
}
