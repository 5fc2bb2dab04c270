package vm

import (
	"fmt"
	"strconv"
)

// debugger is an error that can print itself as Rust's `{:?}` does.
type debugger interface{ Debug() string }

func debugOf(err error) string {
	if d, ok := err.(debugger); ok {
		return d.Debug()
	}
	return strconv.Quote(errText(err))
}

// DebugResult is rbpf's `{:?}` text of a program result: "Ok(42)" or
// "Err(...)" with the error's Debug text, as rbpf's CLI prints after
// "Result: ".
func DebugResult(value uint64, err error) string {
	if err == nil {
		return fmt.Sprintf("Ok(%d)", value)
	}
	return "Err(" + debugOf(err) + ")"
}
