package solana

import (
	"bytes"
	"math/bits"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
)

// verifyAccount checks one account's change as the message processor's
// PreAccount::verify does after an instruction (runtime/src/
// message_processor.rs, v1.6.9), in the same order of checks.
func verifyAccount(program pubkey.Pubkey, writable bool, rent Rent, pre, post *Account) *InstructionError {
	ownerChanged := pre.Owner != post.Owner
	if ownerChanged && (!writable || pre.Executable || program != pre.Owner || !isZeroed(post.Data)) {
		return NewError(ModifiedProgramID)
	}
	if program != pre.Owner && pre.Lamports > post.Lamports {
		return NewError(ExternalAccountLamportSpend)
	}
	if pre.Lamports != post.Lamports {
		if !writable {
			return NewError(ReadonlyLamportChange)
		}
		if pre.Executable {
			return NewError(ExecutableLamportChange)
		}
	}
	if len(pre.Data) != len(post.Data) && (program != pubkey.SystemProgramID || pre.Owner != pubkey.SystemProgramID) {
		return NewError(AccountDataSizeChanged)
	}
	if !(program == pre.Owner && writable && !pre.Executable) && !bytes.Equal(pre.Data, post.Data) {
		switch {
		case pre.Executable:
			return NewError(ExecutableDataModified)
		case writable:
			return NewError(ExternalAccountDataModified)
		default:
			return NewError(ReadonlyDataModified)
		}
	}
	if pre.Executable != post.Executable {
		if !rent.IsExempt(post.Lamports, uint64(len(post.Data))) {
			return NewError(ExecutableAccountNotRentExempt)
		}
		if !writable || pre.Executable || program != pre.Owner {
			return NewError(ExecutableModified)
		}
	}
	if pre.RentEpoch != post.RentEpoch {
		return NewError(RentEpochModified)
	}
	return nil
}

func isZeroed(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// verifyInstruction runs verifyAccount over the instruction's accounts,
// each pubkey once, and then checks that lamports balance
// (MessageProcessor::verify).
func verifyInstruction(ix *Instruction, post []Account, rent Rent) *InstructionError {
	var preSum, postSum lamportSum
	for i := range ix.Accounts {
		if firstPlace(ix.Accounts, i) >= 0 {
			continue
		}
		pre := &ix.Accounts[i]
		if err := verifyAccount(ix.ProgramID, pre.IsWritable, rent, pre, &post[i]); err != nil {
			return err
		}
		preSum = preSum.add(pre.Lamports)
		postSum = postSum.add(post[i].Lamports)
	}
	if preSum != postSum {
		return NewError(UnbalancedInstruction)
	}
	return nil
}

// lamportSum sums lamports without overflow, as the release sums in u128.
type lamportSum struct{ hi, lo uint64 }

func (u lamportSum) add(v uint64) lamportSum {
	lo, carry := bits.Add64(u.lo, v, 0)
	return lamportSum{u.hi + carry, lo}
}
