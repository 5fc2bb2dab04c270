package main

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/server/api"
	"github.com/rbpfgo/rbpfgo/server/apitest"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-addr", "127.0.0.1:9", "-max-body", "100", "-max-budget", "5",
		"-max-repeat", "3", "-max-account-data", "1000", "-timeout", "2s", "-max-concurrent", "4", "-cors", "https://a.example, https://b.example", "-no-jit"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c := o.cfg
	if o.addr != "127.0.0.1:9" || c.MaxBodyBytes != 100 || c.MaxBudget != 5 || c.MaxRepeat != 3 || c.MaxAccountData != 1000 ||
		c.Timeout != 2*time.Second || c.MaxConcurrent != 4 || !c.DisableJIT ||
		len(c.AllowedOrigins) != 2 || c.AllowedOrigins[1] != "https://b.example" {
		t.Errorf("flags: %+v %+v", o, c)
	}
	d, err := parseFlags(nil, io.Discard)
	if err != nil || d.addr != "127.0.0.1:8080" || d.cfg.MaxBodyBytes != 8<<20 || d.cfg.MaxAccountData != 4<<20 || len(d.cfg.AllowedOrigins) != 0 {
		t.Errorf("defaults: %+v, %v", d, err)
	}
	for _, bad := range [][]string{{"extra"}, {"-timeout", "soon"}, {"-nope"}} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) succeeded", bad)
		}
	}
}

func TestPage(t *testing.T) {
	dir := t.TempDir()
	if _, err := page(dir); err == nil {
		t.Error("-dir without index.html accepted")
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := page(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := fsys.(interface{ ReadFile(string) ([]byte, error) }).ReadFile("index.html"); err != nil || string(b) != "hi" {
		t.Errorf("-dir page: %q %v", b, err)
	}
	emb, err := page("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := emb.Open("index.html"); err != nil {
		t.Errorf("embedded page (or placeholder) has no index.html: %v", err)
	}
}

// TestServer runs the shared suite against the server as the command
// builds it (timeouts and all) on a loopback listener.
func TestServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o, _ := parseFlags([]string{"-timeout", "1s", "-max-body", "65536"}, io.Discard)
	h := api.New(o.cfg)
	srv := api.HTTPServer(h)
	go srv.Serve(ln)
	defer srv.Close()
	apitest.Run(t, apitest.Target{URL: "http://" + ln.Addr().String(), JIT: h.JITAvailable()})
}

func TestLimitFlags(t *testing.T) {
	o, err := parseFlags([]string{"-max-held", "1000", "-max-jit-slots", "7", "-max-listing-slots", "3", "-max-large", "2", "-memory-limit", "256MiB"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.MaxHeldBytes != 1000 || o.cfg.MaxJITSlots != 7 || o.cfg.MaxListingSlots != 3 || o.cfg.MaxLargeConcurrent != 2 || o.memLimit != 256<<20 {
		t.Errorf("flags: %+v, memory limit %d", o.cfg, o.memLimit)
	}
	d, _ := parseFlags(nil, io.Discard)
	if d.cfg.MaxHeldBytes != api.DefaultMaxHeld || d.cfg.MaxJITSlots != api.DefaultMaxJITSlots || d.memLimit != 0 {
		t.Errorf("defaults: %+v, memory limit %d", d.cfg, d.memLimit)
	}
	for in, want := range map[string]int64{"off": -1, "1GiB": 1 << 30, "512KiB": 512 << 10, "1000B": 1000, "4096": 4096} {
		if n, err := parseSize(in); err != nil || n != want {
			t.Errorf("parseSize(%q) = %d, %v", in, n, err)
		}
	}
	for _, bad := range []string{"", "MiB", "-1MiB", "0", "1TiB", "99999999999GiB"} {
		if _, err := parseFlags([]string{"-memory-limit", bad}, io.Discard); err == nil {
			t.Errorf("-memory-limit %q accepted", bad)
		}
	}
}
