package vm

// Config is rbpf's VM configuration.
type Config struct {
	// MaxCallDepth is the number of call frames, the root frame included.
	MaxCallDepth int `json:"max_call_depth"`
	// StackFrameSize is the size in bytes of one stack frame; it should be a
	// power of two (the LLVM BPF backend uses 4096).
	StackFrameSize int `json:"stack_frame_size"`
	// EnableInstructionMeter limits execution to RunOptions.Budget
	// instructions and makes Result.InstructionCount meaningful.
	EnableInstructionMeter bool `json:"enable_instruction_meter"`
	// EnableInstructionTracing records the registers before every
	// instruction into Result.Trace.
	EnableInstructionTracing bool `json:"enable_instruction_tracing"`
}

// DefaultConfig returns v0.2.8's defaults: call depth 20, 4 KiB frames,
// meter on, tracing off.
func DefaultConfig() Config {
	return Config{
		MaxCallDepth:             20,
		StackFrameSize:           4096,
		EnableInstructionMeter:   true,
		EnableInstructionTracing: false,
	}
}
