// Command genfixtures writes the ELF test files of the repository:
// testdata/elfs/NAME.so from testdata/elfs/NAME.s, and
// testdata/elf/hostile/NAME.so with NAME.err, the error each must produce.
// Run it from the repository root:
//
//	go run ./core/elf/internal/genfixtures
//
// The core/elf tests fail when the committed files differ from what this
// command writes.
package main
