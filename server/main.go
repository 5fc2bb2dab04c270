package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rbpfgo/rbpfgo/server/api"
	"github.com/rbpfgo/rbpfgo/server/static"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	addr     string
	dir      string
	cfg      api.Config
	cors     string
	memLimit int64 // 0: default (or GOMEMLIMIT), <0: none
}

// parseFlags reads the command line; usage and errors go to out.
func parseFlags(args []string, out io.Writer) (options, error) {
	var o options
	fl := flag.NewFlagSet("server", flag.ContinueOnError)
	fl.SetOutput(out)
	fl.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&o.dir, "dir", "", "serve the page from this directory instead of the embedded one")
	fl.Int64Var(&o.cfg.MaxBodyBytes, "max-body", api.DefaultMaxBodyBytes, "largest request body in bytes")
	fl.Int64Var(&o.cfg.MaxHeldBytes, "max-held", api.DefaultMaxHeld, "bytes all requests in flight may hold at once: large bodies and JIT work (503 beyond)")
	fl.IntVar(&o.cfg.MaxJITSlots, "max-jit-slots", api.DefaultMaxJITSlots, "largest program the JIT compiles for /api/run, in instruction slots (413 beyond)")
	fl.IntVar(&o.cfg.MaxListingSlots, "max-listing-slots", api.DefaultMaxListing, "largest program /api/jit lists, in instruction slots (413 beyond)")
	fl.Func("memory-limit", `Go memory limit, e.g. 384MiB, 1GiB or "off" (default 384MiB, or GOMEMLIMIT from the environment)`, func(v string) error {
		n, err := parseSize(v)
		o.memLimit = n
		return err
	})
	fl.IntVar(&o.cfg.MaxResponseBytes, "max-response", api.DefaultMaxResponse, "largest answer in bytes (422 beyond)")
	fl.IntVar(&o.cfg.MaxDescribeBytes, "max-describe", api.DefaultMaxDescribe, "largest program /api/elf and /api/jit describe, in bytes (413 beyond)")
	fl.Uint64Var(&o.cfg.DefaultBudget, "budget", api.DefaultDefaultBudget, "instruction budget of a run that names none")
	fl.Uint64Var(&o.cfg.MaxBudget, "max-budget", api.DefaultMaxBudget, "largest instruction budget a run may ask for")
	fl.IntVar(&o.cfg.MaxRepeat, "max-repeat", api.DefaultMaxRepeat, "most repetitions a run may ask for")
	fl.IntVar(&o.cfg.MaxAccountData, "max-account-data", api.DefaultMaxAccountData, "most bytes of account data, all accounts together, in a run's instruction document")
	fl.DurationVar(&o.cfg.Timeout, "timeout", api.DefaultTimeout, "wall-time limit of one request's work")
	fl.IntVar(&o.cfg.MaxConcurrent, "max-concurrent", 0, "API requests in flight before answering 503 (0: 8 per CPU)")
	fl.IntVar(&o.cfg.MaxLargeConcurrent, "max-large", 0, "large requests (big bodies, JIT work) in flight before answering 503 (0: half the CPUs)")
	fl.StringVar(&o.cors, "cors", "", `comma-separated origins allowed to call the API ("*": any; empty: same origin only)`)
	fl.BoolVar(&o.cfg.DisableJIT, "no-jit", false, "answer 501 for the jit engine")
	if err := fl.Parse(args); err != nil {
		return o, err
	}
	if fl.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %q", fl.Args())
	}
	for _, origin := range strings.Split(o.cors, ",") {
		if origin = strings.TrimSpace(origin); origin != "" {
			o.cfg.AllowedOrigins = append(o.cfg.AllowedOrigins, origin)
		}
	}
	return o, nil
}

func run(args []string) error {
	o, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	api.TuneRuntime(o.memLimit)
	if o.cfg.Static, err = page(o.dir); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	h := api.New(o.cfg)
	srv := api.HTTPServer(h)
	fmt.Printf("rbpfgo playground on http://%s/\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go h.ReleaseMemory(ctx, time.Second)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// parseSize reads a byte count for -memory-limit: digits with an optional
// B, KiB, MiB or GiB suffix, or "off" (returned as -1).
func parseSize(v string) (int64, error) {
	if v == "off" {
		return -1, nil
	}
	num, unit := v, int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(v, u.suffix); ok {
			num, unit = rest, u.n
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/unit {
		return 0, fmt.Errorf("not a size: %q (say 384MiB, 1GiB or off)", v)
	}
	return n * unit, nil
}

// page returns the file tree to serve: dir when given, else the embedded page.
func page(dir string) (fs.FS, error) {
	if dir == "" {
		if !static.Built() {
			slog.Warn("the playground page was not embedded; serving a placeholder (build it with make run)")
		}
		return static.FS(), nil
	}
	if _, err := os.Stat(dir + "/index.html"); err != nil {
		return nil, fmt.Errorf("-dir %s: %w", dir, err)
	}
	return os.DirFS(dir), nil
}
