// Package examples holds the playground's example programs as assembly.
// The playground builds them into ELF files with core/elf/elfbuild when
// they are opened, so they always match the project's own loader.
package examples
