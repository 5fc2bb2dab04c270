// Package prerender draws the playground's first view (the Load view of a
// visit without a link) as HTML, natively, at build time: web/mkdist puts
// it into index.html, so that the visitor sees the real page at once,
// before main.wasm has been fetched, compiled and started. The WebAssembly
// program then renders over it (vugu reuses the elements where their tags
// match) and replays what the visitor clicked, typed or dropped in the
// meantime (wasm/host_wasm.go, replayEarly).
//
// The tree is vugu's own build of ui.Root, written by vugu's static
// renderer; the string regions that a script fills in the page
// (<rbpf-html>, ui.App.RegionsHTML) and the properties vugu sets from
// Go (the editor's text) are filled in here.
package prerender
