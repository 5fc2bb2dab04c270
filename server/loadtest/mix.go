package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rbpfgo/rbpfgo/server/api"
)

// The hostile mix: requests that each try to make the server work or hold
// memory, sent together for a bounded time while a paced stream of small
// runs and /api/health probes measure what the others see. Every hostile
// request is sent over its own connection by hand (rawPost), so that an
// early answer (a 413 or 503 before the body is read) is measured even
// while the body is still being written.

// hostile is one kind of hostile request.
type hostile struct {
	name    string
	path    string
	body    []byte
	clients int // connections sending it back to back
	max     int // requests in all
	want    []int
	// held: send the headers and the first holdBytes of the body, then
	// wait for an answer without sending the rest.
	held      bool
	holdBytes int
}

func asmBody(line string, n int, extra map[string]any) []byte {
	m := map[string]any{"asm": strings.Repeat(line, n) + "exit\n"}
	for k, v := range extra {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return b
}

// hostileMix is the mix of issue 12 at the server's default limits, with
// held uploads held.
func hostileMix(held int) []hostile {
	jit := map[string]any{"engines": []string{"jit"}}
	ld := "ldxdw r0, [r10-8]\n"
	junk := asmBody("foo bar baz\n", 640000, nil)
	return []hostile{
		{name: "JIT run, largest allowed", path: "/api/run", body: asmBody(ld, api.DefaultMaxJITSlots-1, jit),
			clients: 2, max: 400, want: []int{200, 503}},
		{name: "JIT run, 400k slots", path: "/api/run", body: asmBody(ld, 400000, jit),
			clients: 2, max: 400, want: []int{413, 503}},
		{name: "/api/jit, largest allowed", path: "/api/jit", body: asmBody(ld, api.DefaultMaxListing-1, nil),
			clients: 1, max: 400, want: []int{200, 503}},
		{name: "/api/jit, 1 MiB of text", path: "/api/jit", body: asmBody(ld, api.DefaultMaxDescribe/8-1, nil),
			clients: 1, max: 400, want: []int{413, 503}},
		{name: "8 MB junk assembly", path: "/api/run", body: junk,
			clients: 2, max: 400, want: []int{422, 503}},
		{name: "held upload (8 MiB declared)", path: "/api/run", body: junk, held: true, holdBytes: 1 << 20,
			clients: held, max: held, want: []int{503, 0}},
	}
}

// result of one hostile request: its status (0: a held upload still held
// when the mix ended, or another request unanswered 5 s after it) and how long after its body arrived (or after its headers, when
// answered before the body was all sent) the answer came.
type hostileResult struct {
	status int
	reject time.Duration
	err    error
}

// rawPost sends one request on a new connection and reads the answer. The
// body is written concurrently, so an answer given before it is read is
// seen. With hold, only the first holdBytes of the body are sent; the
// connection stays open until stop is closed.
func rawPost(base *url.URL, h hostile, stop <-chan struct{}) hostileResult {
	conn, err := net.DialTimeout("tcp", base.Host, 5*time.Second)
	if err != nil {
		return hostileResult{err: err}
	}
	defer conn.Close()
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		h.path, base.Host, len(h.body))
	if _, err := io.WriteString(conn, head); err != nil {
		return hostileResult{err: err}
	}
	headersAt := time.Now()
	var (
		mu     sync.Mutex
		bodyAt time.Time
	)
	go func() {
		body := h.body
		if h.held {
			body = body[:h.holdBytes]
		}
		if _, err := conn.Write(body); err == nil && !h.held {
			mu.Lock()
			bodyAt = time.Now()
			mu.Unlock()
		}
	}()
	answered := make(chan hostileResult, 1)
	go func() {
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		at := time.Now()
		if err != nil {
			answered <- hostileResult{err: err}
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		mu.Lock()
		from := headersAt
		if !bodyAt.IsZero() && bodyAt.Before(at) {
			from = bodyAt
		}
		mu.Unlock()
		answered <- hostileResult{status: resp.StatusCode, reject: at.Sub(from)}
	}()
	select {
	case r := <-answered:
		return r
	case <-stop:
	}
	if h.held {
		return hostileResult{} // still waiting: held until the end
	}
	// A request still at work when the mix ends gets 5 s more.
	select {
	case r := <-answered:
		return r
	case <-time.After(5 * time.Second):
		return hostileResult{}
	}
}

// procMemory reads a process's resident set and its peak (VmHWM).
func procMemory(pid int) (rss, peak uint64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		field, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		switch field {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return rss, peak
}

// startChild runs this program as the server (see serveChild) and returns
// its URL and process; the caller kills it.
func startChild() (string, *exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(self, "-serve")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	// The child serves until this end of its stdin closes, when this
	// process exits however it exits.
	if _, err := cmd.StdinPipe(); err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return "", nil, fmt.Errorf("the server child said nothing: %v", err)
	}
	return strings.TrimSpace(line), cmd, nil
}

// serveChild is the server as the server command runs it (runtime tuning,
// http.Server timeouts, default limits) on 127.0.0.1:0; it prints its URL
// and serves until its parent closes its stdin or kills it.
func serveChild() error {
	api.TuneRuntime(0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	h := api.New(api.Config{Logger: quietLogger()})
	srv := api.HTTPServer(h)
	go h.ReleaseMemory(context.Background(), time.Second)
	fmt.Printf("http://%s\n", ln.Addr())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	return srv.Serve(ln)
}

// mixReport is what runMix measured.
type mixReport struct {
	kinds      []hostile
	results    [][]hostileResult
	small      stats
	baseline   stats
	health     int
	healthBad  int
	peakRSS    uint64 // VmHWM at the end of the mix
	maxRSS     uint64 // the largest sample
	rssBefore  uint64
	rssAfter   uint64 // after the quiet period
	quietAfter time.Duration
}

// runMix sends the mix for duration, bounded by each kind's count, beside
// paced small runs and health probes, then waits quiet and samples the
// server's memory again. pid is the server's process (0: memory unknown).
func runMix(client *http.Client, base string, pid int, duration, quiet time.Duration, rate, held int) (mixReport, error) {
	u, err := url.Parse(base)
	if err != nil {
		return mixReport{}, err
	}
	small, _ := json.Marshal(map[string]any{"asm": program, "engines": []string{"interp"}})
	rep := mixReport{kinds: hostileMix(held), quietAfter: quiet}
	rep.baseline = phase{name: "baseline", rate: rate, n: rate * 5, duration: 5 * time.Second}.run(client, base, small)
	rep.rssBefore, _ = procMemory(pid)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	rep.results = make([][]hostileResult, len(rep.kinds))
	var mu sync.Mutex
	for i, h := range rep.kinds {
		var sent sync.Mutex
		n := 0
		for range h.clients {
			wg.Go(func() {
				for {
					sent.Lock()
					ok := n < h.max
					n++
					sent.Unlock()
					select {
					case <-stop:
						ok = false
					default:
					}
					if !ok {
						return
					}
					r := rawPost(u, h, stop)
					mu.Lock()
					rep.results[i] = append(rep.results[i], r)
					mu.Unlock()
					if h.held {
						return // one held upload per connection
					}
				}
			})
		}
	}
	var side sync.WaitGroup
	side.Go(func() {
		rep.small = phase{name: "during", rate: rate, n: rate * int(duration/time.Second), duration: duration}.run(client, base, small)
	})
	side.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		end := time.After(duration)
		for {
			select {
			case <-end:
				return
			case <-tick.C:
			}
			rep.health++
			resp, err := client.Get(base + "/api/health")
			if err != nil {
				rep.healthBad++
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				rep.healthBad++
			}
		}
	})
	side.Go(func() {
		end := time.After(duration)
		for {
			select {
			case <-end:
				return
			case <-time.After(50 * time.Millisecond):
			}
			if rss, _ := procMemory(pid); rss > rep.maxRSS {
				rep.maxRSS = rss
			}
		}
	})
	side.Wait()
	close(stop)
	wg.Wait()
	_, rep.peakRSS = procMemory(pid)
	time.Sleep(quiet)
	rep.rssAfter, _ = procMemory(pid)
	return rep, nil
}

func (rep mixReport) print(w io.Writer) {
	fmt.Fprintf(w, "small runs before the mix: %s\n", rep.baseline)
	fmt.Fprintf(w, "small runs during the mix: %s\n", rep.small)
	fmt.Fprintf(w, "%-30s %5s  %-34s %s\n", "hostile request", "sent", "answers", "answered after body (or headers): p50 / max")
	for i, h := range rep.kinds {
		codes := map[int]int{}
		var lat []time.Duration
		errs := 0
		for _, r := range rep.results[i] {
			if r.err != nil {
				errs++
				continue
			}
			codes[r.status]++
			if r.status != 0 {
				lat = append(lat, r.reject)
			}
		}
		var parts []string
		for _, c := range slices.Sorted(maps.Keys(codes)) {
			name := strconv.Itoa(c)
			if c == 0 && h.held {
				name = "held"
			} else if c == 0 {
				name = "unanswered"
			}
			parts = append(parts, fmt.Sprintf("%s×%d", name, codes[c]))
		}
		if errs > 0 {
			parts = append(parts, fmt.Sprintf("error×%d", errs))
		}
		p50, worst := "-", "-"
		if len(lat) > 0 {
			slices.Sort(lat)
			p50, worst = ms(lat[len(lat)/2]), ms(lat[len(lat)-1])
		}
		fmt.Fprintf(w, "%-30s %5d  %-34s %s / %s\n", h.name, len(rep.results[i]), strings.Join(parts, " "), p50, worst)
	}
	fmt.Fprintf(w, "/api/health: %d probes, %d not 200\n", rep.health, rep.healthBad)
	if rep.peakRSS > 0 {
		fmt.Fprintf(w, "server RSS: %s before, peak %s (largest sample %s), %s %v after the mix\n",
			mib(rep.rssBefore), mib(rep.peakRSS), mib(rep.maxRSS), mib(rep.rssAfter), rep.quietAfter)
	} else {
		fmt.Fprintln(w, "server RSS: unknown (give -pid for a server started elsewhere)")
	}
}
