package asm

import (
	"os"
	"strings"
	"testing"
)

// archiveFile is one file of a txtar archive.
type archiveFile struct {
	name string
	data string
}

// readArchive reads a txtar archive from testdata/asm: a comment, then files
// each introduced by a "-- name --" line. The newline that ends a file's last
// line belongs to the format, not to the text, and is dropped.
func readArchive(t testing.TB, name string) []archiveFile {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/asm/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var files []archiveFile
	var cur *archiveFile
	var body []string
	flush := func() {
		if cur != nil {
			cur.data = strings.Join(body, "\n")
			files = append(files, *cur)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --") && len(line) > 6 {
			flush()
			cur = &archiveFile{name: line[3 : len(line)-3]}
			body = nil
			continue
		}
		body = append(body, line)
	}
	flush()
	return files
}

// archiveCases groups an archive's files by case name (the file name up to
// its last dot) and keeps the order of first appearance.
func archiveCases(files []archiveFile) (order []string, cases map[string]map[string]string) {
	cases = map[string]map[string]string{}
	for _, f := range files {
		i := strings.LastIndexByte(f.name, '.')
		name, ext := f.name[:i], f.name[i+1:]
		if cases[name] == nil {
			cases[name] = map[string]string{}
			order = append(order, name)
		}
		cases[name][ext] = f.data
	}
	return order, cases
}
