package pubkey

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func seeds(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// TestCreateProgramAddressRelease holds the vectors of the release's
// test_create_program_address.
func TestCreateProgramAddressRelease(t *testing.T) {
	program := MustParse("BPFLoader1111111111111111111111111111111111")
	publicKey := MustParse("SeedPubey1111111111111111111111111111111111")
	exceeded := bytes.Repeat([]byte{127}, MaxSeedLen+1)
	maxSeed := make([]byte, MaxSeedLen)
	tests := []struct {
		name    string
		seeds   [][]byte
		want    string
		wantErr error
	}{
		{"exceeded seed", [][]byte{exceeded}, "", MaxSeedLengthExceeded},
		{"short then exceeded", [][]byte{[]byte("short_seed"), exceeded}, "", MaxSeedLengthExceeded},
		{"empty and one", [][]byte{{}, {1}}, "3gF2KMe9KiC6FNVBmfg9i267aMPvK37FewCip4eGBFcT", nil},
		{"sun", seeds("☉"), "7ytmC1nT1xY4RfxCV2ZgyA7UakC93do5ZdyhdF3EtPj7", nil},
		{"talking squirrels", seeds("Talking", "Squirrels"), "HwRVBufQ4haG5XSgpspwKtNd3PC9GM9m1196uJW36vds", nil},
		{"public key", [][]byte{publicKey[:]}, "GUs5qLUfsEHkcMB9T38vjr18ypEhRuNWiePW2LoK4E3K", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CreateProgramAddress(tt.seeds, program)
			if tt.wantErr != nil {
				if err != tt.wantErr || !got.IsZero() {
					t.Fatalf("got %v, %v; want error %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("got %v, %v; want %s", got, err, tt.want)
			}
			if got.IsOnCurve() {
				t.Errorf("%v is on the curve", got)
			}
		})
	}
	if _, err := CreateProgramAddress([][]byte{maxSeed}, program); err != nil {
		t.Errorf("max-length seed: %v", err)
	}
	a, _ := CreateProgramAddress(seeds("Talking", "Squirrels"), program)
	b, _ := CreateProgramAddress(seeds("Talking"), program)
	if a == b {
		t.Error("{Talking, Squirrels} and {Talking} give the same address")
	}
}

// TestCreateProgramAddressMore holds vectors that are not in the release's
// tests; they were cross-checked against an independent big-integer
// implementation of the same rules (SHA-256, then the curve equation over
// GF(2^255-19)).
func TestCreateProgramAddressMore(t *testing.T) {
	program := MustParse("BPFLoader1111111111111111111111111111111111")
	var sixteen, seventeen [][]byte
	for i := 0; i < MaxSeeds-1; i++ {
		sixteen = append(sixteen, []byte{byte(i)})
	}
	sixteen = append(sixteen, []byte{255})
	for i := 0; i <= MaxSeeds; i++ {
		seventeen = append(seventeen, []byte{byte(i)})
	}
	tests := []struct {
		name    string
		seeds   [][]byte
		want    string
		wantErr error
	}{
		{"hash on the curve", [][]byte{[]byte("on-curve"), {0}}, "", InvalidSeeds},
		{"no seeds: on the curve", nil, "", InvalidSeeds},
		{"16 seeds", sixteen, "6AH3c8xVcyRGNGdjwJfG5NBvp1UkbucogXRyDi8Rvxf5", nil},
		{"17 seeds", seventeen, "", MaxSeedLengthExceeded},
	}
	for _, tt := range tests {
		got, err := CreateProgramAddress(tt.seeds, program)
		if err != tt.wantErr || (err == nil && got.String() != tt.want) {
			t.Errorf("%s: got %v, %v; want %q, %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
	// Seeds are joined without separators.
	x, _ := CreateProgramAddress(seeds("abcdef"), program)
	y, _ := CreateProgramAddress(seeds("abc", "def"), program)
	z, _ := CreateProgramAddress(seeds("ab", "cd", "ef"), program)
	if x != y || y != z {
		t.Errorf("split seeds differ: %v %v %v", x, y, z)
	}
}

// TestFindProgramAddressVectors holds bump searches cross-checked in the
// same way as TestCreateProgramAddressMore, including ones where the first
// bumps land on the curve.
func TestFindProgramAddressVectors(t *testing.T) {
	loader1 := MustParse("BPFLoader1111111111111111111111111111111111")
	tests := []struct {
		name    string
		seeds   [][]byte
		program Pubkey
		want    string
		bump    uint8
	}{
		{"lil bits", seeds("Lil'", "Bits"), loader1, "4aTjbsz52PNDhsj7mvsKmSKJebAtt5nNxyiNZTkfJZgh", 254},
		{"programdata", [][]byte{BPFLoaderID[:]}, BPFLoaderUpgradeableID, "8NkYAS5qkBbFJLkAW2Lt2vtyuz8Pb5i8t2qEY4YaGjwE", 253},
		{"four on the curve", [][]byte{[]byte("bump"), {2}}, loader1, "6WTmATKWH4GVW3nnNqvkgunTN2JezKXDqdep6xJVRQiE", 251},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bump, err := FindProgramAddress(tt.seeds, tt.program)
			if err != nil || got.String() != tt.want || bump != tt.bump {
				t.Fatalf("got %v, %d, %v; want %s, %d", got, bump, err, tt.want, tt.bump)
			}
			// Every higher bump must land on the curve.
			for b := 255; b > int(bump); b-- {
				s := append(append([][]byte{}, tt.seeds...), []byte{byte(b)})
				if _, err := CreateProgramAddress(s, tt.program); err != InvalidSeeds {
					t.Errorf("bump %d: error = %v, want InvalidSeeds", b, err)
				}
			}
		})
	}
}

// TestFindProgramAddressRoundTrip follows the release's
// test_find_program_address, and checks that every address found is off
// the curve and distinct, as test_pubkey_off_curve does.
func TestFindProgramAddressRoundTrip(t *testing.T) {
	seen := make(map[Pubkey]bool)
	for i := uint64(1); i <= 1000; i++ {
		program := uniqueKey(i)
		addr, bump, err := FindProgramAddress(seeds("Lil'", "Bits"), program)
		if err != nil {
			t.Fatalf("program %v: %v", program, err)
		}
		if bump == 0 {
			t.Fatalf("program %v: bump 0", program)
		}
		again, err := CreateProgramAddress([][]byte{[]byte("Lil'"), []byte("Bits"), {bump}}, program)
		if err != nil || again != addr {
			t.Fatalf("program %v: create with bump %d = %v, %v; want %v", program, bump, again, err, addr)
		}
		if addr.IsOnCurve() || seen[addr] {
			t.Fatalf("program %v: address %v on curve or repeated", program, addr)
		}
		seen[addr] = true
	}
}

func TestFindProgramAddressSeedLimits(t *testing.T) {
	program := BPFLoaderUpgradeableID
	tests := []struct {
		name    string
		seeds   [][]byte
		wantErr error
	}{
		{"15 seeds leave room", seeds("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e"), nil},
		{"16 seeds leave none", make([][]byte, MaxSeeds), MaxSeedLengthExceeded},
		{"seed too long", [][]byte{make([]byte, MaxSeedLen+1)}, MaxSeedLengthExceeded},
	}
	for _, tt := range tests {
		_, _, err := FindProgramAddress(tt.seeds, program)
		if err != tt.wantErr {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.wantErr)
		}
	}
}

func TestFindProgramAddressKeepsCallerSlice(t *testing.T) {
	backing := make([][]byte, 1, 4)
	backing[0] = []byte("Lil'")
	spare := []byte("untouched")
	backing = append(backing, spare)[:1]
	if _, _, err := FindProgramAddress(backing, SystemProgramID); err != nil {
		t.Fatal(err)
	}
	if got := backing[:2][1]; string(got) != "untouched" {
		t.Errorf("caller's spare capacity overwritten with %q", got)
	}
}

// TestCreateWithSeed follows the release's test_create_with_seed.
func TestCreateWithSeed(t *testing.T) {
	max := strings.Repeat("\U0010FFFF", 8) // 8 four-byte runes: 32 bytes
	tests := []struct {
		name    string
		seed    string
		wantErr error
	}{
		{"sun", "☉", nil},
		{"33 bytes", strings.Repeat("\x7f", MaxSeedLen+1), MaxSeedLengthExceeded},
		{"32 bytes of runes", max, nil},
		{"33 bytes of runes", "x" + max, MaxSeedLengthExceeded},
		{"32 zero bytes", strings.Repeat("\x00", MaxSeedLen), nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		_, err := CreateWithSeed(uniqueKey(7), tt.seed, uniqueKey(8))
		if err != tt.wantErr {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.wantErr)
		}
	}
	got, err := CreateWithSeed(Pubkey{}, "limber chicken: 4/45", Pubkey{})
	if err != nil || got.String() != "9h1HyLCW5dZnBVap8C5egQ9Z6pHyjsh5MNy83iPqqRuq" {
		t.Errorf("limber chicken: got %v, %v", got, err)
	}
}

func TestPubkeyErrorValues(t *testing.T) {
	tests := []struct {
		err  PubkeyError
		num  int
		text string
	}{
		{MaxSeedLengthExceeded, 0, "Length of the seed is too long for address generation"},
		{InvalidSeeds, 1, "Provided seeds do not result in a valid address"},
	}
	for _, tt := range tests {
		if int(tt.err) != tt.num || tt.err.Error() != tt.text {
			t.Errorf("PubkeyError %d %q, want %d %q", int(tt.err), tt.err.Error(), tt.num, tt.text)
		}
		var pe PubkeyError
		if !errors.As(error(tt.err), &pe) || pe != tt.err {
			t.Errorf("errors.As failed for %v", tt.err)
		}
	}
}
