// Package static embeds the playground page served by the native server.
//
// The page is built by `make wasm` into web/dist; `make server-assets`
// (a step of `make run`) copies it into this package's dist folder, which
// git ignores except for a marker file, and the server is built afterwards
// so the copy is embedded. A build made before the page exists embeds
// nothing but the marker: FS then returns a placeholder page that says how
// to build the playground, and the API works all the same.
package static
