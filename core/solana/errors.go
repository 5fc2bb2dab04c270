package solana

import (
	"fmt"
	"strconv"
)

// InstructionError is the runtime's verdict on an instruction, the
// InstructionError enum of sdk/program/src/instruction.rs in v1.6.9. Kind
// picks the variant; Custom carries Custom(n)'s code and Message
// BorshIoError's text.
type InstructionError struct {
	Kind    ErrorKind
	Custom  uint32
	Message string
}

// ErrorKind numbers the variants in their declaration order, which is also
// their bincode and JSON order in the release.
type ErrorKind int

// errorRow is one variant: its Rust name (Debug) and its Display text.
type errorRow struct {
	name, text string
}

// The variants of InstructionError, in the release's order.
const (
	GenericError ErrorKind = iota
	InvalidArgument
	InvalidInstructionData
	InvalidAccountData
	AccountDataTooSmall
	InsufficientFunds
	IncorrectProgramID
	MissingRequiredSignature
	AccountAlreadyInitialized
	UninitializedAccount
	UnbalancedInstruction
	ModifiedProgramID
	ExternalAccountLamportSpend
	ExternalAccountDataModified
	ReadonlyLamportChange
	ReadonlyDataModified
	DuplicateAccountIndex
	ExecutableModified
	RentEpochModified
	NotEnoughAccountKeys
	AccountDataSizeChanged
	AccountNotExecutable
	AccountBorrowFailed
	AccountBorrowOutstanding
	DuplicateAccountOutOfSync
	Custom
	InvalidError
	ExecutableDataModified
	ExecutableLamportChange
	ExecutableAccountNotRentExempt
	UnsupportedProgramID
	CallDepth
	MissingAccount
	ReentrancyNotAllowed
	MaxSeedLengthExceeded
	InvalidSeeds
	InvalidRealloc
	ComputationalBudgetExceeded
	PrivilegeEscalation
	ProgramEnvironmentSetupFailure
	ProgramFailedToComplete
	ProgramFailedToCompile
	Immutable
	IncorrectAuthority
	BorshIoError
	AccountNotRentExempt
	InvalidAccountOwner
	ArithmeticOverflow
	UnsupportedSysvar
	numErrorKinds
)

// errorTable holds each variant's Debug name and Display text
// (sdk/program/src/instruction.rs, v1.6.9). Custom and BorshIoError format
// their payload into the text.
var errorTable = [numErrorKinds]errorRow{
	GenericError:                   {"GenericError", "generic instruction error"},
	InvalidArgument:                {"InvalidArgument", "invalid program argument"},
	InvalidInstructionData:         {"InvalidInstructionData", "invalid instruction data"},
	InvalidAccountData:             {"InvalidAccountData", "invalid account data for instruction"},
	AccountDataTooSmall:            {"AccountDataTooSmall", "account data too small for instruction"},
	InsufficientFunds:              {"InsufficientFunds", "insufficient funds for instruction"},
	IncorrectProgramID:             {"IncorrectProgramId", "incorrect program id for instruction"},
	MissingRequiredSignature:       {"MissingRequiredSignature", "missing required signature for instruction"},
	AccountAlreadyInitialized:      {"AccountAlreadyInitialized", "instruction requires an uninitialized account"},
	UninitializedAccount:           {"UninitializedAccount", "instruction requires an initialized account"},
	UnbalancedInstruction:          {"UnbalancedInstruction", "sum of account balances before and after instruction do not match"},
	ModifiedProgramID:              {"ModifiedProgramId", "instruction modified the program id of an account"},
	ExternalAccountLamportSpend:    {"ExternalAccountLamportSpend", "instruction spent from the balance of an account it does not own"},
	ExternalAccountDataModified:    {"ExternalAccountDataModified", "instruction modified data of an account it does not own"},
	ReadonlyLamportChange:          {"ReadonlyLamportChange", "instruction changed the balance of a read-only account"},
	ReadonlyDataModified:           {"ReadonlyDataModified", "instruction modified data of a read-only account"},
	DuplicateAccountIndex:          {"DuplicateAccountIndex", "instruction contains duplicate accounts"},
	ExecutableModified:             {"ExecutableModified", "instruction changed executable bit of an account"},
	RentEpochModified:              {"RentEpochModified", "instruction modified rent epoch of an account"},
	NotEnoughAccountKeys:           {"NotEnoughAccountKeys", "insufficient account keys for instruction"},
	AccountDataSizeChanged:         {"AccountDataSizeChanged", "non-system instruction changed account size"},
	AccountNotExecutable:           {"AccountNotExecutable", "instruction expected an executable account"},
	AccountBorrowFailed:            {"AccountBorrowFailed", "instruction tries to borrow reference for an account which is already borrowed"},
	AccountBorrowOutstanding:       {"AccountBorrowOutstanding", "instruction left account with an outstanding borrowed reference"},
	DuplicateAccountOutOfSync:      {"DuplicateAccountOutOfSync", "instruction modifications of multiply-passed account differ"},
	Custom:                         {"Custom", "custom program error"},
	InvalidError:                   {"InvalidError", "program returned invalid error code"},
	ExecutableDataModified:         {"ExecutableDataModified", "instruction changed executable accounts data"},
	ExecutableLamportChange:        {"ExecutableLamportChange", "instruction changed the balance of a executable account"},
	ExecutableAccountNotRentExempt: {"ExecutableAccountNotRentExempt", "executable accounts must be rent exempt"},
	UnsupportedProgramID:           {"UnsupportedProgramId", "Unsupported program id"},
	CallDepth:                      {"CallDepth", "Cross-program invocation call depth too deep"},
	MissingAccount:                 {"MissingAccount", "An account required by the instruction is missing"},
	ReentrancyNotAllowed:           {"ReentrancyNotAllowed", "Cross-program invocation reentrancy not allowed for this instruction"},
	MaxSeedLengthExceeded:          {"MaxSeedLengthExceeded", "Length of the seed is too long for address generation"},
	InvalidSeeds:                   {"InvalidSeeds", "Provided seeds do not result in a valid address"},
	InvalidRealloc:                 {"InvalidRealloc", "Failed to reallocate account data"},
	ComputationalBudgetExceeded:    {"ComputationalBudgetExceeded", "Computational budget exceeded"},
	PrivilegeEscalation:            {"PrivilegeEscalation", "Cross-program invocation with unauthorized signer or writable account"},
	ProgramEnvironmentSetupFailure: {"ProgramEnvironmentSetupFailure", "Failed to create program execution environment"},
	ProgramFailedToComplete:        {"ProgramFailedToComplete", "Program failed to complete"},
	ProgramFailedToCompile:         {"ProgramFailedToCompile", "Program failed to compile"},
	Immutable:                      {"Immutable", "Account is immutable"},
	IncorrectAuthority:             {"IncorrectAuthority", "Incorrect authority provided"},
	BorshIoError:                   {"BorshIoError", "Failed to serialize or deserialize account data"},
	AccountNotRentExempt:           {"AccountNotRentExempt", "An account does not have enough lamports to be rent-exempt"},
	InvalidAccountOwner:            {"InvalidAccountOwner", "Invalid account owner"},
	ArithmeticOverflow:             {"ArithmeticOverflow", "Program arithmetic overflowed"},
	UnsupportedSysvar:              {"UnsupportedSysvar", "Unsupported sysvar"},
}

// NewError returns the payload-free variant k.
func NewError(k ErrorKind) *InstructionError { return &InstructionError{Kind: k} }

// Error is the variant's Display text, as the runtime logs it in
// "Program <id> failed: <text>".
func (e *InstructionError) Error() string {
	switch e.Kind {
	case Custom:
		return "custom program error: 0x" + strconv.FormatUint(uint64(e.Custom), 16)
	case BorshIoError:
		return errorTable[e.Kind].text + ": " + e.Message
	}
	if e.Kind < 0 || e.Kind >= numErrorKinds {
		return fmt.Sprintf("instruction error %d", int(e.Kind))
	}
	return errorTable[e.Kind].text
}

// Name is the variant's Rust Debug form: "InvalidArgument", "Custom(1)",
// `BorshIoError("…")`.
func (e *InstructionError) Name() string {
	switch e.Kind {
	case Custom:
		return "Custom(" + strconv.FormatUint(uint64(e.Custom), 10) + ")"
	case BorshIoError:
		return "BorshIoError(" + strconv.Quote(e.Message) + ")"
	}
	if e.Kind < 0 || e.Kind >= numErrorKinds {
		return fmt.Sprintf("InstructionError(%d)", int(e.Kind))
	}
	return errorTable[e.Kind].name
}

// builtinShift places the builtin program errors in r0's upper 32 bits
// (sdk/program/src/program_error.rs, BUILTIN_BIT_SHIFT).
const builtinShift = 32

// builtinCodes maps r0's builtin values to their InstructionError, as the
// release's From<u64> for InstructionError does. BORSH_IO_ERROR (15) and
// ACCOUNT_NOT_RENT_EXEMPT (16) are missing from that conversion, so they
// come out as InvalidError, as they did then.
var builtinCodes = map[uint64]ErrorKind{
	1 << builtinShift:  Custom, // CUSTOM_ZERO: Custom(0)
	2 << builtinShift:  InvalidArgument,
	3 << builtinShift:  InvalidInstructionData,
	4 << builtinShift:  InvalidAccountData,
	5 << builtinShift:  AccountDataTooSmall,
	6 << builtinShift:  InsufficientFunds,
	7 << builtinShift:  IncorrectProgramID,
	8 << builtinShift:  MissingRequiredSignature,
	9 << builtinShift:  AccountAlreadyInitialized,
	10 << builtinShift: UninitializedAccount,
	11 << builtinShift: NotEnoughAccountKeys,
	12 << builtinShift: AccountBorrowFailed,
	13 << builtinShift: MaxSeedLengthExceeded,
	14 << builtinShift: InvalidSeeds,
	17 << builtinShift: UnsupportedSysvar,
}

// FromReturnValue turns the entrypoint's r0 into the runtime's verdict:
// nil for SUCCESS (0), else the InstructionError the loader returns
// (Custom(n) for a value below 2^32, a builtin error for its code, and
// InvalidError for anything else).
func FromReturnValue(r0 uint64) *InstructionError {
	if r0 == 0 {
		return nil
	}
	if k, ok := builtinCodes[r0]; ok {
		return &InstructionError{Kind: k}
	}
	if r0>>builtinShift == 0 {
		return &InstructionError{Kind: Custom, Custom: uint32(r0)}
	}
	return &InstructionError{Kind: InvalidError}
}
