package solana

import (
	"strconv"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
	"github.com/rbpfgo/rbpfgo/core/vm"
)

// LogMessagesBytesLimit is how many bytes of messages the log collector
// keeps (LOG_MESSAGES_BYTES_LIMIT in runtime/src/log_collector.rs).
const LogMessagesBytesLimit = 10 * 1000

// LogCollector is the runtime's log collector: it keeps messages until
// their bytes would reach the limit, then adds "Log truncated" once and
// drops the rest.
type LogCollector struct {
	Messages     []string
	bytes        int
	limitWarning bool
}

// Log records one message.
func (c *LogCollector) Log(msg string) {
	if c.bytes+len(msg) >= LogMessagesBytesLimit {
		if !c.limitWarning {
			c.limitWarning = true
			c.Messages = append(c.Messages, "Log truncated")
		}
		return
	}
	c.bytes += len(msg)
	c.Messages = append(c.Messages, msg)
}

// Truncated reports whether messages were dropped.
func (c *LogCollector) Truncated() bool { return c.limitWarning }

// log records a runtime message and shows it in the VM's own log as well,
// so that a debugger stepping the program sees it when it is written.
func (s *session) log(ctx *vm.SyscallContext, msg string) {
	s.logs.Log(msg)
	ctx.Log(msg)
}

// programLog is stable_log::program_log: "Program log: <message>".
func (s *session) programLog(ctx *vm.SyscallContext, msg string) {
	s.log(ctx, "Program log: "+msg)
}

// The other stable log messages of sdk/src/process_instruction.rs.
func logInvoke(c *LogCollector, id pubkey.Pubkey, depth int) {
	c.Log("Program " + id.String() + " invoke [" + strconv.Itoa(depth) + "]")
}

func logConsumed(c *LogCollector, id pubkey.Pubkey, used, budget uint64) {
	c.Log("Program " + id.String() + " consumed " + strconv.FormatUint(used, 10) + " of " + strconv.FormatUint(budget, 10) + " compute units")
}

func logSuccess(c *LogCollector, id pubkey.Pubkey) { c.Log("Program " + id.String() + " success") }

func logFailure(c *LogCollector, id pubkey.Pubkey, err *InstructionError) {
	c.Log("Program " + id.String() + " failed: " + err.Error())
}
