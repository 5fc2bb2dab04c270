//go:build !js

package browsertest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var (
	buildOnce sync.Once
	distDir   string
	buildErr  error
)

// dist builds the page once per test binary, or, when RBPF_DIST names a
// folder mkdist made, serves that one: two builds of the page can then be
// timed against each other in one session (docs/performance.md).
func dist(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("RBPF_DIST"); d != "" {
		return d
	}
	buildOnce.Do(func() {
		distDir, buildErr = os.MkdirTemp("", "rbpfgo-dist-")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "run", "github.com/rbpfgo/rbpfgo/web/mkdist", "-o", distDir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("mkdist: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return distDir
}

// TestMain removes the pages the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{distDir, floorDir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

var (
	floorOnce sync.Once
	floorDir  string
	floorErr  error
)

// floorDist is the playground's page with main.wasm replaced by the
// minimal Go program in testdata/floor, built as mkdist builds the
// playground (-trimpath, -s -w, gzip beside it).
func floorDist(t *testing.T) string {
	t.Helper()
	page := dist(t)
	floorOnce.Do(func() {
		floorDir, floorErr = os.MkdirTemp("", "rbpfgo-floor-")
		if floorErr != nil {
			return
		}
		for _, name := range []string{"index.html", "style.css", "wasm_exec.js"} {
			var b []byte
			if b, floorErr = os.ReadFile(filepath.Join(page, name)); floorErr != nil {
				return
			}
			if floorErr = os.WriteFile(filepath.Join(floorDir, name), b, 0o644); floorErr != nil {
				return
			}
		}
		wasm := filepath.Join(floorDir, "main.wasm")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./testdata/floor")
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if out, err := cmd.CombinedOutput(); err != nil {
			floorErr = fmt.Errorf("building the floor program: %v\n%s", err, out)
			return
		}
		floorErr = gzipFile(wasm, wasm+".gz")
	})
	if floorErr != nil {
		t.Fatal(floorErr)
	}
	return floorDir
}

// gzipFile writes the gzip form of src to dst.
func gzipFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(dst, buf.Bytes(), 0o644)
}

// handler serves dir, sending main.wasm pre-compressed when the client
// accepts gzip and the page with a Link header that preloads main.wasm, as
// the native server does.
func handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" || r.URL.Path == "/index.html" {
			w.Header().Set("Link", "</main.wasm>; rel=preload; as=fetch; crossorigin")
		}
		if r.URL.Path == "/main.wasm" && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Type", "application/wasm")
			w.Header().Set("Content-Encoding", "gzip")
			http.ServeFile(w, r, filepath.Join(dir, "main.wasm.gz"))
			return
		}
		files.ServeHTTP(w, r)
	})
}

// browserPath finds Chromium. Without one the test skips, unless CI=true.
func browserPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found and CI=true: install it (apt-get install -y chromium)")
	}
	t.Skip("no Chromium installed; skipping the browser tests")
	return ""
}

// page is one browser tab on the served playground.
type page struct {
	t     *testing.T
	ctx   context.Context
	url   string
	shots string
	stop  func() // closes the browser
}

// shotsDir is where screenshots go; it survives the test so people can look.
func shotsDir(t *testing.T) string {
	dir := os.Getenv("RBPF_SHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "rbpfgo-playground-shots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// open starts Chromium on the playground at fragment (may be "").
func open(t *testing.T, fragment string) *page {
	t.Helper()
	return openWith(t, nil, fragment)
}

// openWith is open with the page served by h (nil: the static files only).
func openWith(t *testing.T, h http.Handler, fragment string) *page {
	t.Helper()
	if h == nil {
		h = handler(dist(t))
	}
	p := newPage(t, h)
	u := p.url
	if fragment != "" {
		u += "#" + fragment
	}
	p.do(chromedp.Navigate(u))
	p.waitJS(`typeof window.rbpfFirstRender === "number"`)
	return p
}

// openSettled starts Chromium on a blank tab, lets it finish starting up,
// then opens the page served by h: a first visit from a browser that was
// already running, with nothing of the page cached.
func openSettled(t *testing.T, h http.Handler) *page {
	t.Helper()
	p := newPage(t, h)
	p.do(chromedp.Navigate("about:blank"))
	time.Sleep(time.Second)
	p.do(chromedp.Navigate(p.url))
	p.waitJS(`typeof window.rbpfFirstRender === "number"`)
	return p
}

// newPage starts Chromium with a fresh profile and serves h to it; the tab
// has not navigated yet.
func newPage(t *testing.T, h http.Handler) *page {
	t.Helper()
	exe := browserPath(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1360, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	stop := func() { cancelT(); cancelC(); cancelA() }
	t.Cleanup(stop)
	return &page{t: t, ctx: ctx, url: srv.URL + "/", shots: shotsDir(t), stop: stop}
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v\npage errors: %s", err, p.banner())
	}
}

// eval evaluates a JavaScript expression and decodes its value.
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitJS waits until expr is truthy.
func (p *page) waitJS(expr string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		p.t.Fatalf("waiting for %s: %v\nerror banner: %q", expr, err, p.banner())
	}
}

// text is the text of the first element matching a CSS selector, "" if none.
// link is the URL fragment once the page has written the last state to it
// (it writes just after the next paint; window.rbpfLinkPending is set
// meanwhile).
func (p *page) link() string {
	p.t.Helper()
	p.waitJS(`window.rbpfLinkPending !== true`)
	return eval[string](p, `location.hash.slice(1)`)
}

func (p *page) text(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`(function(){const e=document.querySelector(%q);return e?e.textContent:""})()`, sel))
}

// waitText waits until the element sel exists and its text contains want.
func (p *page) waitText(sel, want string) string {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`(function(){const e=document.querySelector(%q);return !!e && e.textContent.includes(%q)})()`, sel, want))
	return p.text(sel)
}

// click clicks the element sel (waiting for it to exist).
func (p *page) click(sel string) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`!!document.querySelector(%q)`, sel))
	eval[chromedp.Void](p, fmt.Sprintf(`document.querySelector(%q).click()`, sel))
}

// input sets the value of an input or textarea and fires "input" as typing
// would.
func (p *page) input(sel, value string) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`!!document.querySelector(%q)`, sel))
	eval[chromedp.Void](p, fmt.Sprintf(`(function(){const e=document.querySelector(%q);e.value=%q;e.dispatchEvent(new Event("input",{bubbles:true}));e.dispatchEvent(new Event("change",{bubbles:true}))})()`, sel, value))
}

// banner is the error banner's text, "" when there is none.
func (p *page) banner() string {
	v, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(function(){const e=document.getElementById("error-banner");return e?e.textContent:""})()`))
	return v
}

// screenshot saves the page as name.png in the screenshots directory.
func (p *page) screenshot(name string) string {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(p.shots, name+".png")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
	return path
}

// dropFile dispatches a synthetic drop of a file with the given bytes on the
// page body, as dragging a file from the desktop does.
func (p *page) dropFile(name string, data []byte) {
	p.t.Helper()
	var sb strings.Builder
	sb.WriteString("[")
	for i, b := range data {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "%d", b)
	}
	sb.WriteString("]")
	eval[chromedp.Void](p, fmt.Sprintf(`(function(){
		const dt = new DataTransfer();
		dt.items.add(new File([new Uint8Array(%s)], %q, {type: "application/octet-stream"}));
		document.body.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		document.body.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`, sb.String(), name))
}
