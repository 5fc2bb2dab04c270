package pubkey

import "testing"

func BenchmarkCreateProgramAddress(b *testing.B) {
	s := [][]byte{[]byte("Talking"), []byte("Squirrels")}
	program := MustParse("BPFLoader1111111111111111111111111111111111")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CreateProgramAddress(s, program); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFindProgramAddress(b *testing.B) {
	s := [][]byte{[]byte("bump"), {2}} // four bumps on the curve first
	program := MustParse("BPFLoader1111111111111111111111111111111111")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := FindProgramAddress(s, program); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkString(b *testing.B) {
	p := SysvarEpochScheduleID
	b.ReportAllocs()
	for b.Loop() {
		_ = p.String()
	}
}

func BenchmarkParse(b *testing.B) {
	s := SysvarEpochScheduleID.String()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}
