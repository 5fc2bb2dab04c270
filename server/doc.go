// Command server serves the rbpfgo playground page and its HTTP API.
//
//	go run ./server [-addr 127.0.0.1:8080] [-dir web/dist] [limits...]
//
// The page is embedded at build time (see package server/static); -dir
// serves a directory instead, for working on the page. The API and every
// limit are those of package server/api; each limit has a flag. `make run`
// builds the page, embeds it and starts this command.
package main
