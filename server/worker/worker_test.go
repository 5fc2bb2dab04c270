//go:build !(js && wasm)

package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rbpfgo/rbpfgo/server/apitest"
)

// TestWorkerInWorkerd builds the Worker as `make worker` does, starts it in
// workerd (from node_modules, as pinned in package-lock.json) on a loopback
// socket, runs the shared API suite against it over HTTP and stops it.
// Without workerd the test is skipped, except under CI=true where it fails.
func TestWorkerInWorkerd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Worker and starts workerd; skipped with -short")
	}
	root := repoRoot(t)
	workerd := filepath.Join(root, "node_modules", ".bin", "workerd")
	if _, err := os.Stat(workerd); err != nil {
		msg := "workerd is not installed (run `npm ci` at the repository root): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	buildWorker(t, root, filepath.Join(dir, "build"))
	cfg, err := os.ReadFile("workerd.capnp")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "workerd.capnp"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	url := startWorkerd(t, workerd, dir)

	cold := measureColdStart(t, url, 10)
	t.Logf("fresh instance per request: median %v, min %v, max %v over %d GET /api/health",
		cold[len(cold)/2], cold[0], cold[len(cold)-1], len(cold))

	apitest.Run(t, apitest.Target{URL: url})
}

func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// buildWorker writes the shim with workers-assets-gen, then the wasm, into
// out: the steps of `make worker`.
func buildWorker(t *testing.T, root, out string) {
	t.Helper()
	run := func(env []string, name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), env...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, b)
		}
	}
	run(nil, "go", "tool", "workers-assets-gen", "-mode=go", "-o", out)
	run([]string{"GOOS=js", "GOARCH=wasm"}, "go", "build", "-ldflags=-s -w", "-o", filepath.Join(out, "app.wasm"), "./server/worker")
}

// startWorkerd starts workerd on a loopback socket the test opened itself
// (passed as a file descriptor, so no port can be taken in between), waits
// until the Worker answers and arranges for workerd to be stopped.
func startWorkerd(t *testing.T, workerd, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	ln.Close() // f keeps the socket listening
	url := "http://" + ln.Addr().String()

	var logs strings.Builder
	cmd := exec.Command(workerd, "serve", "workerd.capnp", "--socket-fd", "http=3")
	cmd.Dir = dir
	cmd.ExtraFiles = []*os.File{f}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting workerd: %v", err)
	}
	f.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("workerd output:\n%s", logs.String())
		}
	})

	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case err := <-exited:
			t.Fatalf("workerd exited: %v\n%s", err, logs.String())
		default:
		}
		resp, err := http.Get(url + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("workerd did not answer within 20 s (last: %v)\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// measureColdStart times n sequential requests. Each starts a fresh Go
// instance in the Worker, so each pays the start-up; the sorted durations
// are returned.
func measureColdStart(t *testing.T, url string, n int) []time.Duration {
	t.Helper()
	var ds []time.Duration
	for range n {
		start := time.Now()
		resp, err := http.Get(url + "/api/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("health: %d", resp.StatusCode)
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds
}
