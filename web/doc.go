// Package web holds the playground's static page and styles. The Go program
// behind the page is in wasm/; web/mkdist puts both together in web/dist.
package web
