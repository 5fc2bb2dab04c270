// Command wasm is the browser playground: a vugu application compiled with
// GOOS=js GOARCH=wasm. Everything that touches the browser (syscall/js) lives
// in files tagged js && wasm in this package; the components and the state
// they show live in package ui, which builds and tests natively too.
//
// Build the page with `make wasm` (output in web/dist) and serve it with
// `make run`.
package main
