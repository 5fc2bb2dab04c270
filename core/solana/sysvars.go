package solana

import (
	"encoding/binary"
	"encoding/json"
	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
	"math"
	"math/bits"
)

// Sysvars are the values the sysvar syscalls copy out. The runtime reads
// them from the bank; here the document gives them, and a nil field means
// the sdk's default value (Clock all zero, Rent::default,
// EpochSchedule::default, FeeCalculator::default), which the run's notes
// then point out.
type Sysvars struct {
	Clock         *Clock         `json:"clock,omitempty"`
	Rent          *Rent          `json:"rent,omitempty"`
	EpochSchedule *EpochSchedule `json:"epoch_schedule,omitempty"`
	Fees          *Fees          `json:"fees,omitempty"`
}

func (s *Sysvars) given(name string) bool {
	switch name {
	case "clock":
		return s.Clock != nil
	case "rent":
		return s.Rent != nil
	case "epoch_schedule":
		return s.EpochSchedule != nil
	case "fees":
		return s.Fees != nil
	}
	return false
}

func (s *Sysvars) empty() bool {
	return s.Clock == nil && s.Rent == nil && s.EpochSchedule == nil && s.Fees == nil
}

// Clock is sdk/program/src/clock.rs's Clock (repr(C), 40 bytes).
type Clock struct {
	Slot                uint64 `json:"slot"`
	EpochStartTimestamp int64  `json:"epoch_start_timestamp"`
	Epoch               uint64 `json:"epoch"`
	LeaderScheduleEpoch uint64 `json:"leader_schedule_epoch"`
	UnixTimestamp       int64  `json:"unix_timestamp"`
}

// Rent is sdk/program/src/rent.rs's Rent (repr(C): 8 + 8 + 1, padded to 24).
type Rent struct {
	LamportsPerByteYear uint64  `json:"lamports_per_byte_year"`
	ExemptionThreshold  float64 `json:"exemption_threshold"`
	BurnPercent         uint8   `json:"burn_percent"`
}

// DefaultRent is Rent::default(): 1e9/100*365/(1024*1024) lamports per
// byte-year, exempt at two years, half of rent burnt.
var DefaultRent = Rent{
	LamportsPerByteYear: 1_000_000_000 / 100 * 365 / (1024 * 1024),
	ExemptionThreshold:  2.0,
	BurnPercent:         50,
}

// accountStorageOverhead is ACCOUNT_STORAGE_OVERHEAD in rent.rs.
const accountStorageOverhead = 128

// MinimumBalance is the balance an account of dataLen bytes needs to be
// rent-exempt (Rent::minimum_balance, with its float rounding).
func (r Rent) MinimumBalance(dataLen uint64) uint64 {
	return uint64(float64((accountStorageOverhead+dataLen)*r.LamportsPerByteYear) * r.ExemptionThreshold)
}

// IsExempt is Rent::is_exempt.
func (r Rent) IsExempt(balance, dataLen uint64) bool { return balance >= r.MinimumBalance(dataLen) }

// EpochSchedule is sdk/program/src/epoch_schedule.rs's EpochSchedule
// (repr(C): warmup is a byte at offset 16, padded; 40 bytes).
type EpochSchedule struct {
	SlotsPerEpoch            uint64 `json:"slots_per_epoch"`
	LeaderScheduleSlotOffset uint64 `json:"leader_schedule_slot_offset"`
	Warmup                   bool   `json:"warmup"`
	FirstNormalEpoch         uint64 `json:"first_normal_epoch"`
	FirstNormalSlot          uint64 `json:"first_normal_slot"`
}

// minimumSlotsPerEpoch is MINIMUM_SLOTS_PER_EPOCH; defaultSlotsPerEpoch is
// DEFAULT_SLOTS_PER_EPOCH (2 days of 160 ticks/s at 64 ticks a slot).
const (
	minimumSlotsPerEpoch = 32
	defaultSlotsPerEpoch = 2 * 160 * 60 * 60 * 24 / 64
)

// NewEpochSchedule is EpochSchedule::custom with warmup: the first normal
// epoch and slot follow from the next power of two of slotsPerEpoch.
func NewEpochSchedule(slotsPerEpoch, leaderOffset uint64, warmup bool) EpochSchedule {
	e := EpochSchedule{SlotsPerEpoch: slotsPerEpoch, LeaderScheduleSlotOffset: leaderOffset, Warmup: warmup}
	if warmup && slotsPerEpoch > 0 {
		next := uint64(1) << (64 - bits.LeadingZeros64(slotsPerEpoch-1))
		if slotsPerEpoch == 1 {
			next = 1
		}
		log2 := bits.TrailingZeros64(next) - bits.TrailingZeros64(minimumSlotsPerEpoch)
		if log2 < 0 {
			log2 = 0
		}
		e.FirstNormalEpoch = uint64(log2)
		if next > minimumSlotsPerEpoch {
			e.FirstNormalSlot = next - minimumSlotsPerEpoch
		}
	}
	return e
}

// DefaultEpochSchedule is EpochSchedule::default().
var DefaultEpochSchedule = NewEpochSchedule(defaultSlotsPerEpoch, defaultSlotsPerEpoch, true)

// Fees is the Fees sysvar: one FeeCalculator (8 bytes).
type Fees struct {
	LamportsPerSignature uint64 `json:"lamports_per_signature"`
}

// sysvarKind names one sysvar getter: its syscall, its in-memory size
// (size_of::<T>(), which is also part of its cost) and how it writes T.
type sysvarKind struct {
	name string
	size uint64
	put  func(s *Sysvars, b []byte) (defaulted bool)
}

var (
	sysvarClock = sysvarKind{"clock", 40, func(s *Sysvars, b []byte) bool {
		c, def := Clock{}, s.Clock == nil
		if !def {
			c = *s.Clock
		}
		le := binary.LittleEndian
		le.PutUint64(b[0:], c.Slot)
		le.PutUint64(b[8:], uint64(c.EpochStartTimestamp))
		le.PutUint64(b[16:], c.Epoch)
		le.PutUint64(b[24:], c.LeaderScheduleEpoch)
		le.PutUint64(b[32:], uint64(c.UnixTimestamp))
		return def
	}}
	sysvarRent = sysvarKind{"rent", 24, func(s *Sysvars, b []byte) bool {
		r, def := DefaultRent, s.Rent == nil
		if !def {
			r = *s.Rent
		}
		le := binary.LittleEndian
		le.PutUint64(b[0:], r.LamportsPerByteYear)
		le.PutUint64(b[8:], math.Float64bits(r.ExemptionThreshold))
		b[16] = r.BurnPercent
		return def
	}}
	sysvarEpochSchedule = sysvarKind{"epoch_schedule", 40, func(s *Sysvars, b []byte) bool {
		e, def := DefaultEpochSchedule, s.EpochSchedule == nil
		if !def {
			e = *s.EpochSchedule
		}
		le := binary.LittleEndian
		le.PutUint64(b[0:], e.SlotsPerEpoch)
		le.PutUint64(b[8:], e.LeaderScheduleSlotOffset)
		b[16] = 0
		if e.Warmup {
			b[16] = 1
		}
		le.PutUint64(b[24:], e.FirstNormalEpoch)
		le.PutUint64(b[32:], e.FirstNormalSlot)
		return def
	}}
	sysvarFees = sysvarKind{"fees", 8, func(s *Sysvars, b []byte) bool {
		f, def := Fees{}, s.Fees == nil
		if !def {
			f = *s.Fees
		}
		binary.LittleEndian.PutUint64(b, f.LamportsPerSignature)
		return def
	}}
)

func parseSysvars(raw json.RawMessage) (Sysvars, error) {
	var s Sysvars
	if len(raw) == 0 || string(raw) == "null" {
		return s, nil
	}
	if err := strictDecode(raw, &s); err != nil {
		return s, fieldErr("sysvars", "%v", err)
	}
	return s, nil
}

// sysvarAccount returns the bincode form of the sysvar whose account id is
// key, as the bank stores it in that account (the in-memory form padded
// for alignment is what the getters write; the account holds the packed
// one).
func (s *Sysvars) sysvarAccount(key pubkey.Pubkey) ([]byte, string, bool) {
	le := binary.LittleEndian
	switch key {
	case pubkey.SysvarClockID:
		c := Clock{}
		if s.Clock != nil {
			c = *s.Clock
		}
		b := le.AppendUint64(nil, c.Slot)
		b = le.AppendUint64(b, uint64(c.EpochStartTimestamp))
		b = le.AppendUint64(b, c.Epoch)
		b = le.AppendUint64(b, c.LeaderScheduleEpoch)
		return le.AppendUint64(b, uint64(c.UnixTimestamp)), "clock", true
	case pubkey.SysvarRentID:
		r := DefaultRent
		if s.Rent != nil {
			r = *s.Rent
		}
		b := le.AppendUint64(nil, r.LamportsPerByteYear)
		b = le.AppendUint64(b, math.Float64bits(r.ExemptionThreshold))
		return append(b, r.BurnPercent), "rent", true
	case pubkey.SysvarEpochScheduleID:
		e := DefaultEpochSchedule
		if s.EpochSchedule != nil {
			e = *s.EpochSchedule
		}
		b := le.AppendUint64(nil, e.SlotsPerEpoch)
		b = le.AppendUint64(b, e.LeaderScheduleSlotOffset)
		b = append(b, boolByte(e.Warmup))
		b = le.AppendUint64(b, e.FirstNormalEpoch)
		return le.AppendUint64(b, e.FirstNormalSlot), "epoch_schedule", true
	case pubkey.SysvarFeesID:
		f := Fees{}
		if s.Fees != nil {
			f = *s.Fees
		}
		return le.AppendUint64(nil, f.LamportsPerSignature), "fees", true
	}
	return nil, "", false
}
