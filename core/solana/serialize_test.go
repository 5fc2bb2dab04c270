package solana

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/rbpfgo/rbpfgo/core/solana/pubkey"
)

func key(b byte) pubkey.Pubkey {
	var k pubkey.Pubkey
	for i := range k {
		k[i] = b
	}
	return k
}

// sample has a signer-writable account, a duplicate of it and a read-only
// executable one with 82 bytes of data (8 mod 16, where 8- and 16-byte
// padding disagree).
func sample(loader Loader) *Instruction {
	a := Account{Pubkey: key(0xa1), IsSigner: true, IsWritable: true, Lamports: 1, Owner: key(0x0a), RentEpoch: 100, Data: []byte{1, 2, 3}}
	c := Account{Pubkey: key(0xc3), Lamports: 2, Owner: key(0x0c), Executable: true, RentEpoch: 7, Data: bytes.Repeat([]byte{0xaa}, 82)}
	return &Instruction{ProgramID: key(0xfe), Loader: loader, Accounts: []Account{a, a, c}, Data: []byte{9, 8}, Features: AllFeatures()}
}

type golden struct{ bytes.Buffer }

func (g *golden) u8(v ...byte) { g.Write(v) }
func (g *golden) u64(v uint64) { g.Write(binary.LittleEndian.AppendUint64(nil, v)) }
func (g *golden) key(b byte)   { g.Write(bytes.Repeat([]byte{b}, 32)) }
func (g *golden) zeros(n int)  { g.Write(make([]byte, n)) }

// TestSerializeAligned checks the BPFLoader2 layout byte for byte, the
// paddings worked out by hand: A's data ends at offset 99 (5 bytes to the
// next multiple of 8), C's at 10530 (6 bytes).
func TestSerializeAligned(t *testing.T) {
	var g golden
	g.u64(3)
	g.u8(0xff, 1, 1, 0, 0, 0, 0, 0)
	g.key(0xa1)
	g.key(0x0a)
	g.u64(1)
	g.u64(3)
	g.u8(1, 2, 3)
	g.zeros(10240 + 5)
	g.u64(100)
	g.u8(0, 0, 0, 0, 0, 0, 0, 0) // duplicate of account 0, padded to 8
	g.u8(0xff, 0, 0, 1, 0, 0, 0, 0)
	g.key(0xc3)
	g.key(0x0c)
	g.u64(2)
	g.u64(82)
	g.Write(bytes.Repeat([]byte{0xaa}, 82))
	g.zeros(10240 + 6)
	g.u64(7)
	g.u64(2)
	g.u8(9, 8)
	g.key(0xfe)
	ix := sample(LoaderBPF)
	in := Serialize(ix)
	if !bytes.Equal(in.Bytes, g.Bytes()) {
		t.Fatalf("aligned layout differs: got %d bytes, want %d", len(in.Bytes), g.Len())
	}
	if SerializedSize(ix) != g.Len() {
		t.Errorf("SerializedSize %d, want %d", SerializedSize(ix), g.Len())
	}
}

func TestSerializeUnaligned(t *testing.T) {
	var g golden
	g.u64(3)
	g.u8(0xff, 1, 1)
	g.key(0xa1)
	g.u64(1)
	g.u64(3)
	g.u8(1, 2, 3)
	g.key(0x0a)
	g.u8(0)
	g.u64(100)
	g.u8(0) // duplicate of account 0: one byte, no padding
	g.u8(0xff, 0, 0)
	g.key(0xc3)
	g.u64(2)
	g.u64(82)
	g.Write(bytes.Repeat([]byte{0xaa}, 82))
	g.key(0x0c)
	g.u8(1)
	g.u64(7)
	g.u64(2)
	g.u8(9, 8)
	g.key(0xfe)
	ix := sample(LoaderDeprecated)
	in := Serialize(ix)
	if !bytes.Equal(in.Bytes, g.Bytes()) {
		t.Fatalf("unaligned layout differs: got %d bytes, want %d", len(in.Bytes), g.Len())
	}
	if SerializedSize(ix) != g.Len() {
		t.Errorf("SerializedSize %d, want %d", SerializedSize(ix), g.Len())
	}
}

// TestFieldMap checks that the fields tile the region in order and name
// the right bytes.
func TestFieldMap(t *testing.T) {
	for _, l := range []Loader{LoaderBPF, LoaderDeprecated} {
		in := Serialize(sample(l))
		end := 0
		for _, f := range in.Fields {
			if f.Start != end || f.End <= f.Start {
				t.Fatalf("%s: field %s at %d..%d, want it to start at %d", l, f.Name(), f.Start, f.End, end)
			}
			end = f.End
		}
		if end != len(in.Bytes) {
			t.Fatalf("%s: fields end at %d of %d", l, end, len(in.Bytes))
		}
		for _, c := range []struct {
			off  int
			name string
			acct int
		}{
			{0, "num_accounts", -1},
			{8, "accounts[0].dup_marker", 0},
			{len(in.Bytes) - 1, "program_id", -1},
			{len(in.Bytes) - 33, "instruction_data", -1},
		} {
			f, ok := in.FieldAt(c.off)
			if !ok || f.Name() != c.name || f.Account != c.acct {
				t.Errorf("%s: FieldAt(%d) = %+v, want %s of account %d", l, c.off, f, c.name, c.acct)
			}
		}
		if _, ok := in.FieldAt(len(in.Bytes)); ok {
			t.Errorf("%s: FieldAt past the end found a field", l)
		}
	}
	in := Serialize(sample(LoaderBPF))
	if f, _ := in.FieldAt(96 + 2); f.Name() != "accounts[0].data" {
		t.Errorf("aligned offset 98 is %q, want accounts[0].data", f.Name())
	}
	if f, _ := in.FieldAt(10352); f.Name() != "accounts[1].dup_of" || f.Account != 1 {
		t.Errorf("aligned offset 10352 is %+v, want accounts[1].dup_of", f)
	}
}

// TestDeserialize writes a program's changes into the region and reads
// them back as the loader does.
func TestDeserialize(t *testing.T) {
	ix := sample(LoaderBPF)
	in := Serialize(ix)
	buf := append([]byte(nil), in.Bytes...)
	le := binary.LittleEndian
	le.PutUint64(buf[80:], 11) // accounts[0].lamports
	le.PutUint64(buf[88:], 5)  // data_len 3 -> 5, within the realloc room
	copy(buf[96:], []byte{7, 7, 7, 7, 7})
	copy(buf[48:80], bytes.Repeat([]byte{0x0b}, 32)) // owner
	buf[10360+8+64+16] = 0x55                        // read-only account C's data
	post, err := in.Deserialize(ix, buf, true)
	if err != nil {
		t.Fatal(err)
	}
	if post[0].Lamports != 11 || !bytes.Equal(post[0].Data, []byte{7, 7, 7, 7, 7}) || post[0].Owner != key(0x0b) {
		t.Errorf("account 0 read back as %+v", post[0])
	}
	if post[1].Lamports != 11 {
		t.Errorf("the duplicate does not follow its first place: %+v", post[1])
	}
	if post[2].Data[0] != 0xaa {
		t.Errorf("a read-only account was read back with skip_ro_deserialization")
	}
	post, _ = in.Deserialize(ix, buf, false)
	if post[2].Data[0] != 0x55 {
		t.Errorf("a read-only account was not read back without skip_ro_deserialization")
	}
	le.PutUint64(buf[88:], 3+MaxPermittedDataIncrease+1)
	post, _ = in.Deserialize(ix, buf, true)
	if len(post[0].Data) != 3 {
		t.Errorf("a length beyond the realloc room was taken: %d", len(post[0].Data))
	}
	if _, err := in.Deserialize(ix, buf[:10], true); err == nil {
		t.Error("a short region was accepted")
	}
}
