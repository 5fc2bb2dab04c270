package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rbpfgo/rbpfgo/server/api"
)

// program is the small program every request runs: a loop of 100
// iterations summing 1..100, about 300 instructions.
const program = `
	mov r0, 0
	mov r1, 100
loop:
	add r0, r1
	sub r1, 1
	jne r1, 0, loop
	exit
`

// wantResult is what program returns.
const wantResult = 5050

type options struct {
	url      string
	rate     int
	n        int
	duration time.Duration
	clients  int
	engines  string
	repeat   int
	mix      bool
	mixFor   time.Duration
	quiet    time.Duration
	pid      int
	held     int
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "", "server to load (loopback only; empty: start one in this process)")
	flag.IntVar(&o.rate, "rate", 200, "requests per second in the paced phase")
	flag.IntVar(&o.n, "n", 4000, "most requests per phase")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "longest time per phase")
	flag.IntVar(&o.clients, "c", 4, "concurrent clients in the flat-out phase")
	flag.StringVar(&o.engines, "engines", "interp,jit", "engines to measure, comma-separated")
	flag.IntVar(&o.repeat, "repeat", 1, "repetitions of the run per request (the API's repeat)")
	flag.BoolVar(&o.mix, "mix", false, "send the hostile mix instead (see the package documentation)")
	flag.DurationVar(&o.mixFor, "mix-duration", 20*time.Second, "how long the hostile mix is sent")
	flag.DurationVar(&o.quiet, "quiet", 10*time.Second, "how long after the mix the server's memory is sampled again")
	flag.IntVar(&o.pid, "pid", 0, "process of the -url server, for its memory (-mix)")
	flag.IntVar(&o.held, "held", 32, "held uploads in the mix (each declares 8 MiB, sends 1 MiB and waits)")
	serve := flag.Bool("serve", false, "be the server for -mix (internal: started by -mix without -url)")
	flag.Parse()
	if *serve {
		if err := serveChild(); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest server:", err)
			os.Exit(1)
		}
		return
	}
	run := run
	if o.mix {
		run = runHostile
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.rate <= 0 || o.n <= 0 || o.clients <= 0 || o.duration <= 0 || o.repeat <= 0 {
		return errors.New("-rate, -n, -c, -duration and -repeat must be positive")
	}
	base, stop, err := target(o.url)
	if err != nil {
		return err
	}
	defer stop()
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256},
	}
	failed := 0
	fmt.Printf("loadtest of %s, GOMAXPROCS %d, %d CPUs, %s, repeat %d\n", base, runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.Version(), o.repeat)
	for _, eng := range strings.Split(o.engines, ",") {
		body, _ := json.Marshal(map[string]any{"asm": program, "engines": []string{eng}, "repeat": o.repeat})
		if err := probe(client, base, body); err != nil {
			fmt.Printf("%-6s skipped: %v\n", eng, err)
			continue
		}
		for _, ph := range []phase{{name: "paced", rate: o.rate}, {name: "flat out", clients: o.clients}} {
			ph.n, ph.duration = o.n, o.duration
			before := sampleMemory()
			cpu0 := cpuTime()
			st := ph.run(client, base, body)
			cpu := cpuTime() - cpu0
			after := sampleMemory()
			failed += st.errs
			fmt.Printf("%-6s %-8s %s | cpu/req %s | heap %s -> %s, rss %s -> %s\n", eng, ph.name, st,
				us(cpu/time.Duration(max(1, len(st.lat)))), mib(before.heap), mib(after.heap), mib(before.rss), mib(after.rss))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed or answered wrongly", failed)
	}
	return nil
}

// target returns the base URL to load: o.url when it is on loopback, else a
// server started here on 127.0.0.1:0.
func target(raw string) (base string, stop func(), err error) {
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil {
			return "", nil, err
		}
		ips, err := net.LookupIP(u.Hostname())
		if err != nil {
			return "", nil, err
		}
		for _, ip := range ips {
			if !ip.IsLoopback() {
				return "", nil, fmt.Errorf("%s resolves to %s: only loopback servers may be loaded", u.Host, ip)
			}
		}
		return strings.TrimSuffix(raw, "/"), func() {}, nil
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400) // as the server command does
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	h := api.New(api.Config{Logger: quietLogger()})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Shutdown(context.Background()) }, nil
}

// quietLogger logs the server's errors only.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

// runHostile sends the hostile mix to a server started as a child process
// (so that its memory is its own), or to -url with -pid.
func runHostile(o options) error {
	if o.rate <= 0 || o.mixFor <= 0 || o.mixFor > 5*time.Minute || o.quiet < 0 || o.quiet > time.Minute || o.held < 0 || o.held > 256 {
		return errors.New("-rate must be positive, -mix-duration at most 5m, -quiet at most 1m and -held at most 256")
	}
	base, pid := o.url, o.pid
	if base == "" {
		u, cmd, err := startChild()
		if err != nil {
			return err
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		base, pid = u, cmd.Process.Pid
	} else {
		b, _, err := target(base)
		if err != nil {
			return err
		}
		base = b
	}
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256},
	}
	fmt.Printf("hostile mix against %s for %v, GOMAXPROCS %d, %d CPUs, %s\n", base, o.mixFor, runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.Version())
	rep, err := runMix(client, base, pid, o.mixFor, o.quiet, o.rate, o.held)
	if err != nil {
		return err
	}
	rep.print(os.Stdout)
	return nil
}

// probe sends one request and checks the answer is the program's result.
func probe(client *http.Client, base string, body []byte) error {
	code, msg, err := send(client, base, body)
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return fmt.Errorf("status %d: %s", code, msg)
	}
	return nil
}

// send posts body to /api/run and checks the answer: status 200 with the
// expected result. It returns the status and, on failure, a message.
func send(client *http.Client, base string, body []byte) (int, string, error) {
	resp, err := client.Post(base+"/api/run", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, strings.TrimSpace(string(data)), nil
	}
	var out struct {
		Results []struct {
			Result *uint64
			Error  *string
		}
	}
	if err := json.Unmarshal(data, &out); err != nil || len(out.Results) != 1 ||
		out.Results[0].Result == nil || *out.Results[0].Result != wantResult {
		return resp.StatusCode, fmt.Sprintf("unexpected answer %.200s", data), errors.New("wrong result")
	}
	return resp.StatusCode, "", nil
}

// phase is one measurement: paced at rate per second, or flat out with
// clients concurrent senders; at most n requests and duration long.
type phase struct {
	name     string
	rate     int
	clients  int
	n        int
	duration time.Duration
}

func (ph phase) run(client *http.Client, base string, body []byte) stats {
	var (
		mu   sync.Mutex
		st   stats
		wg   sync.WaitGroup
		once = func() {
			t0 := time.Now()
			_, msg, err := send(client, base, body)
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			st.add(d, err, msg)
		}
	)
	start := time.Now()
	deadline := start.Add(ph.duration)
	if ph.rate > 0 {
		interval := time.Second / time.Duration(ph.rate)
		for i := 0; i < ph.n; i++ {
			at := start.Add(time.Duration(i) * interval)
			if at.After(deadline) {
				break
			}
			time.Sleep(time.Until(at))
			wg.Go(once)
		}
	} else {
		var next sync.Mutex
		sent := 0
		for range ph.clients {
			wg.Go(func() {
				for {
					next.Lock()
					ok := sent < ph.n && time.Now().Before(deadline)
					sent++
					next.Unlock()
					if !ok {
						return
					}
					once()
				}
			})
		}
	}
	wg.Wait()
	st.elapsed = time.Since(start)
	return st
}

// stats collects latencies and failures.
type stats struct {
	lat      []time.Duration
	errs     int
	firstErr string
	elapsed  time.Duration
}

func (s *stats) add(d time.Duration, err error, msg string) {
	s.lat = append(s.lat, d)
	if err != nil || msg != "" {
		s.errs++
		if s.firstErr == "" {
			s.firstErr = strings.TrimSpace(fmt.Sprint(err) + " " + msg)
			if err == nil {
				s.firstErr = msg
			}
		}
	}
}

func (s stats) String() string {
	if len(s.lat) == 0 {
		return "no requests"
	}
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	out := fmt.Sprintf("%5d req in %5.1fs = %6.0f rps | p50 %6s p90 %6s p99 %6s max %6s | errors %d",
		len(lat), s.elapsed.Seconds(), float64(len(lat))/s.elapsed.Seconds(),
		ms(q(0.50)), ms(q(0.90)), ms(q(0.99)), ms(lat[len(lat)-1]), s.errs)
	if s.firstErr != "" {
		out += " (first: " + s.firstErr + ")"
	}
	return out
}

func us(d time.Duration) string { return fmt.Sprintf("%.0fus", float64(d)/1e3) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }

func mib(b uint64) string { return fmt.Sprintf("%.1fMiB", float64(b)/(1<<20)) }

type memory struct{ heap, rss uint64 }

// sampleMemory returns the live heap after a GC and the process's resident
// set (0 where /proc is missing).
func sampleMemory() memory {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := memory{heap: ms.HeapInuse}
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				var kb uint64
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
				m.rss = kb << 10
			}
		}
	}
	return m
}
