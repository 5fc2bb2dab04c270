package static

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

//go:embed placeholder
var placeholder embed.FS

// Built reports whether the playground page was embedded.
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}

// FS returns the embedded page, or a placeholder page when none was built.
func FS() fs.FS {
	dir, root := "dist", fs.FS(dist)
	if !Built() {
		dir, root = "placeholder", placeholder
	}
	sub, err := fs.Sub(root, dir)
	if err != nil {
		panic(err) // dir is a literal directory of the embeds above
	}
	return sub
}
