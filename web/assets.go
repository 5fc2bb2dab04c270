package web

import "embed"

// Static is the page and its styles, copied as they are into the build
// output.
//
//go:embed index.html style.css
var Static embed.FS
