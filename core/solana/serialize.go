package solana

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
)

// MaxPermittedDataIncrease is how far a program may grow an account's data
// in the aligned layout: the room the loader leaves after each account's
// data (MAX_PERMITTED_DATA_INCREASE in sdk/program/src/entrypoint.rs).
const MaxPermittedDataIncrease = 10 * 1024

// nonDupMarker marks an account's first place in the input (u8::MAX).
const nonDupMarker = 0xff

// Field names one byte range of the input region.
type Field struct {
	Start int // offset in the input region
	End   int // exclusive
	// Account is the instruction account the range belongs to, -1 for
	// none.
	Account int
	// Part is the field's name within its account ("lamports", "data",
	// …), or the whole name of a field outside the accounts
	// ("instruction_data", "program_id", …).
	Part string
}

// Name is the field's full name: "accounts[1].lamports", "program_id".
func (f Field) Name() string {
	if f.Account < 0 {
		return f.Part
	}
	return "accounts[" + strconv.Itoa(f.Account) + "]." + f.Part
}

// MarshalJSON writes {"start", "end", "name", "account"}.
func (f Field) MarshalJSON() ([]byte, error) {
	b := []byte(`{"start":`)
	b = strconv.AppendInt(b, int64(f.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(f.End), 10)
	b = append(b, `,"name":`...)
	b = strconv.AppendQuote(b, f.Name())
	b = append(b, `,"account":`...)
	b = strconv.AppendInt(b, int64(f.Account), 10)
	return append(b, '}'), nil
}

// Input is the serialized input region of one instruction, with the map of
// its fields and where each account's deserialized fields sit.
type Input struct {
	Bytes   []byte  `json:"-"`
	Fields  []Field `json:"fields"`
	Aligned bool    `json:"aligned"`
	slots   []slot  // per instruction account
}

// slot is where one instruction account's fields are in the input; dup is
// the index of its first place, or -1 where this is the first.
type slot struct {
	start, end            int // the account's bytes in the input
	dup                   int
	lamports, owner, size int // offsets (owner and size are -1 where the layout lacks them)
	data                  int
	preLen                int
}

// FieldAt returns the field holding the byte at offset off.
func (in *Input) FieldAt(off int) (Field, bool) {
	i := sort.Search(len(in.Fields), func(i int) bool { return in.Fields[i].End > off })
	if i < len(in.Fields) && in.Fields[i].Start <= off {
		return in.Fields[i], true
	}
	return Field{}, false
}

// firstPlace returns the index of the first account with the same pubkey
// as account i, or -1 when i is the first (is_dup in serialization.rs).
func firstPlace(accounts []Account, i int) int {
	for j := 0; j < i; j++ {
		if accounts[j].Pubkey == accounts[i].Pubkey {
			return j
		}
	}
	return -1
}

// SerializedSize is the size of ix's input region, computed before any
// allocation as serialize_parameters sizes its buffer.
func SerializedSize(ix *Instruction) int {
	size := 8
	for i, a := range ix.Accounts {
		size++
		if firstPlace(ix.Accounts, i) >= 0 {
			if ix.Loader.Aligned() {
				size += 7
			}
			continue
		}
		if ix.Loader.Aligned() {
			n := len(a.Data)
			size += 1 + 1 + 1 + 4 + 32 + 32 + 8 + 8 + n + MaxPermittedDataIncrease + alignPad(n) + 8
		} else {
			size += 1 + 1 + 32 + 8 + 8 + len(a.Data) + 32 + 1 + 8
		}
	}
	return size + 8 + len(ix.Data) + 32
}

// alignOfU128 is align_of::<u128>() where the release ran: 8 on x86-64
// with the Rust of 2021 (16 only from Rust 1.77), and 8 on the BPF target
// the programs were built for. The loader pads with it, calling it
// "128-bit aligned"; programs' entrypoints skip the same 8-byte padding.
const alignOfU128 = 8

// alignPad is the padding that takes n to a multiple of alignOfU128.
func alignPad(n int) int { return (alignOfU128 - n%alignOfU128) % alignOfU128 }

// builder appends to the input and records a field per append.
type builder struct {
	in      *Input
	account int
}

func (b *builder) put(name string, p []byte) int {
	off := len(b.in.Bytes)
	b.in.Bytes = append(b.in.Bytes, p...)
	b.field(name, off)
	return off
}

// field records the bytes from off to the end as the field name.
func (b *builder) field(name string, off int) {
	if end := len(b.in.Bytes); end > off {
		b.in.Fields = append(b.in.Fields, Field{Start: off, End: end, Part: name, Account: b.account})
	}
}

func (b *builder) u8(name string, v uint8) int {
	off := len(b.in.Bytes)
	b.in.Bytes = append(b.in.Bytes, v)
	b.field(name, off)
	return off
}

func (b *builder) u64(name string, v uint64) int {
	off := len(b.in.Bytes)
	b.in.Bytes = binary.LittleEndian.AppendUint64(b.in.Bytes, v)
	b.field(name, off)
	return off
}

// zeros extends the region by n zero bytes: the buffer is allocated at its
// full size up front, so the bytes past its length are still zero.
func (b *builder) zeros(name string, n int) {
	off := len(b.in.Bytes)
	b.in.Bytes = b.in.Bytes[:off+n]
	b.field(name, off)
}

func boolByte(v bool) uint8 {
	if v {
		return 1
	}
	return 0
}

// Serialize lays out ix's accounts, data and program id as the loader does
// (serialize_parameters in programs/bpf_loader/src/serialization.rs):
// aligned for BPFLoader2, unaligned for the deprecated loader.
func Serialize(ix *Instruction) *Input {
	in := &Input{Bytes: make([]byte, 0, SerializedSize(ix)), Aligned: ix.Loader.Aligned(),
		Fields: make([]Field, 0, 4+12*len(ix.Accounts)), slots: make([]slot, 0, len(ix.Accounts))}
	b := &builder{in: in, account: -1}
	b.u64("num_accounts", uint64(len(ix.Accounts)))
	for i := range ix.Accounts {
		b.account = i
		start := len(in.Bytes)
		sl := b.account1(ix, i)
		sl.start, sl.end = start, len(in.Bytes)
		in.slots = append(in.slots, sl)
	}
	b.account = -1
	b.u64("instruction_data_len", uint64(len(ix.Data)))
	b.put("instruction_data", ix.Data)
	b.put("program_id", ix.ProgramID[:])
	return in
}

// account1 writes account i and returns where its fields went.
func (b *builder) account1(ix *Instruction, i int) slot {
	a := &ix.Accounts[i]
	if d := firstPlace(ix.Accounts, i); d >= 0 {
		b.u8("dup_of", uint8(d))
		if ix.Loader.Aligned() {
			b.zeros("padding", 7)
		}
		return slot{dup: d}
	}
	s := slot{dup: -1, owner: -1, size: -1, preLen: len(a.Data)}
	b.u8("dup_marker", nonDupMarker)
	b.u8("is_signer", boolByte(a.IsSigner))
	b.u8("is_writable", boolByte(a.IsWritable))
	if ix.Loader.Aligned() {
		b.u8("executable", boolByte(a.Executable))
		b.zeros("padding", 4)
		b.put("pubkey", a.Pubkey[:])
		s.owner = b.put("owner", a.Owner[:])
		s.lamports = b.u64("lamports", a.Lamports)
		s.size = b.u64("data_len", uint64(len(a.Data)))
		s.data = len(b.in.Bytes)
		b.put("data", a.Data)
		b.zeros("realloc_padding", MaxPermittedDataIncrease+alignPad(len(b.in.Bytes)))
		b.u64("rent_epoch", a.RentEpoch)
		return s
	}
	b.put("pubkey", a.Pubkey[:])
	s.lamports = b.u64("lamports", a.Lamports)
	b.u64("data_len", uint64(len(a.Data)))
	s.data = len(b.in.Bytes)
	b.put("data", a.Data)
	b.put("owner", a.Owner[:])
	b.u8("executable", boolByte(a.Executable))
	b.u64("rent_epoch", a.RentEpoch)
	return s
}

// Deserialize reads the accounts back from the input region after a
// successful run, as deserialize_parameters does: lamports and data for
// both layouts, and owner and a data length within
// MaxPermittedDataIncrease of the old one for the aligned layout.
// Read-only accounts are skipped when skipRO is set
// (skip_ro_deserialization). It returns the post-run accounts, in
// instruction order; duplicates repeat their first place's state.
func (in *Input) Deserialize(ix *Instruction, buf []byte, skipRO bool) ([]Account, error) {
	if len(buf) != len(in.Bytes) {
		return nil, fmt.Errorf("input region is %d bytes, serialized %d", len(buf), len(in.Bytes))
	}
	le := binary.LittleEndian
	post := make([]Account, len(ix.Accounts))
	for i, s := range in.slots {
		a := ix.Accounts[i]
		if s.dup >= 0 {
			post[i] = post[s.dup]
			continue
		}
		a.Data = append([]byte(nil), a.Data...)
		if a.IsWritable || !skipRO {
			a.Lamports = le.Uint64(buf[s.lamports:])
			n := s.preLen
			if in.Aligned {
				copy(a.Owner[:], buf[s.owner:s.owner+32])
				postLen := le.Uint64(buf[s.size:])
				if postLen != uint64(n) && (postLen < uint64(n) || postLen-uint64(n) <= MaxPermittedDataIncrease) {
					n = int(postLen)
				}
			}
			a.Data = append(a.Data[:0], buf[s.data:s.data+n]...)
		}
		post[i] = a
	}
	return post, nil
}
