package solana

import "github.com/rbpfgo/rbpfgo/core/verifier"

// VerifyProgram is the BPF loader's own verifier, which v1.6.9 runs on a
// program's relocated text when it deploys it and when it first executes
// it (verifier.CheckLoader). Its error's text is the one the loader logs.
func VerifyProgram(prog []byte) error {
	if e := verifier.CheckLoader(prog); e != nil {
		return e
	}
	return nil
}
