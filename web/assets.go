// Package web holds the playground's static page and styles. The Go program
// behind the page is in wasm/; web/mkdist puts both together in web/dist.
package web

import "embed"

// Static is the page and its styles, copied as they are into the build
// output.
//
//go:embed index.html style.css
var Static embed.FS
