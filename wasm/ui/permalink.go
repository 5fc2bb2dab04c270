package ui

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/rbpfgo/rbpfgo/core/digest"
)

// MaxLinkedELF is the largest ELF a permalink carries; a larger file is
// named in the link by its name, size and sha256, and the page asks for
// the file when the link is opened.
const MaxLinkedELF = 48 << 10

// linkState is what a permalink restores.
type linkState struct {
	Name    string `json:"n,omitempty"`
	Example string `json:"x,omitempty"` // a built-in example, by id
	Source  string `json:"s,omitempty"` // assembly
	ELF     []byte `json:"e,omitempty"` // an ELF file (v1 links; v2 links carry it beside the state)
	Size    int    `json:"z,omitempty"` // a file the link names without carrying: its size
	SHA     string `json:"h,omitempty"` // and its sha256, in hex
	Input   string `json:"i,omitempty"`
	Budget  string `json:"b,omitempty"`
	BPs     []int  `json:"p,omitempty"`
	Step    uint64 `json:"t,omitempty"` // instructions executed
	View    string `json:"v,omitempty"`
	Mode    string `json:"m,omitempty"` // modeRuntime or modeBare
	Verify  bool   `json:"y,omitempty"`
	// Ix is the instruction document, as the CLI reads it.
	Ix json.RawMessage `json:"d,omitempty"`
}

// Link formats: "v1." + deflated JSON in base64url, the ELF inside the
// JSON; "v2." the same, and when the link carries the ELF, "." and the
// deflated ELF in base64url, encoded once per program rather than on
// every step.
const (
	linkPrefix   = "v1."
	linkPrefixV2 = "v2."
)

// deflate64 is b deflated and in base64url. The compressor is made once:
// making one allocates its tables (about 1 MB), and the link is written
// after every step.
func deflate64(b []byte) string {
	deflater.Lock()
	defer deflater.Unlock()
	var buf bytes.Buffer
	if deflater.w == nil {
		deflater.w, _ = flate.NewWriter(&buf, flate.BestCompression)
	} else {
		deflater.w.Reset(&buf)
	}
	deflater.w.Write(b)
	deflater.w.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

var deflater struct {
	sync.Mutex
	w *flate.Writer
}

// inflate64 reverses deflate64, refusing anything that inflates beyond
// limit bytes.
func inflate64(s string, limit int64) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("damaged link: %v", err)
	}
	b, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), limit+1))
	if err != nil {
		return nil, fmt.Errorf("damaged link: %v", err)
	}
	if int64(len(b)) > limit {
		return nil, errors.New("damaged link: it inflates beyond what the page accepts")
	}
	return b, nil
}

// encodeLink is the URL fragment for s; elf is the program's deflate64
// form when the link carries it, else "".
func encodeLink(s linkState, elf string) (string, error) {
	s.ELF = nil
	js, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	frag := linkPrefixV2 + deflate64(js)
	if elf != "" {
		frag += "." + elf
	}
	return frag, nil
}

// decodeLink reverses encodeLink, and reads v1 links.
func decodeLink(frag string) (linkState, error) {
	var s linkState
	var js []byte
	var err error
	switch {
	case strings.HasPrefix(frag, linkPrefix):
		js, err = inflate64(frag[len(linkPrefix):], 4*MaxLinkedELF)
	case strings.HasPrefix(frag, linkPrefixV2):
		parts := strings.Split(frag[len(linkPrefixV2):], ".")
		if len(parts) > 2 {
			return s, errors.New("damaged link: too many parts")
		}
		if js, err = inflate64(parts[0], 1<<20); err == nil && len(parts) == 2 {
			if s.ELF, err = inflate64(parts[1], MaxFileSize); err == nil && len(s.ELF) == 0 {
				err = errors.New("damaged link: an empty program")
			}
		}
	default:
		return s, errors.New("not a playground link")
	}
	if err != nil {
		return linkState{}, err
	}
	elf := s.ELF
	if err := json.Unmarshal(js, &s); err != nil {
		return linkState{}, fmt.Errorf("damaged link: %v", err)
	}
	if elf != nil {
		s.ELF = elf
	}
	return s, nil
}

// historyHost is a host with the browser's history: PushFragment adds an
// entry, where SetFragment replaces the current one.
type historyHost interface {
	PushFragment(frag string)
}

// linkPlace is what makes a new history entry when it changes: the
// program, the view, the run mode and the instruction. Steps, breakpoints
// and inputs replace the current entry.
func linkPlace(s linkState) string {
	return strings.Join([]string{s.Name, s.Example, s.SHA, fmt.Sprint(len(s.Source)), s.View, s.Mode, string(s.Ix)}, "\x00")
}

// currentLink is the state the page shows, as a link, and the deflated
// ELF when the link carries the file.
func (a *App) currentLink() (linkState, string) {
	p := a.Prog
	d := &a.Debug
	s := linkState{Name: p.Name, Example: p.Example, Input: d.InputHex, View: a.View, Mode: d.Mode, Verify: d.Verify}
	elf := ""
	switch {
	case p.Example != "":
	case p.Source != "":
		s.Source = p.Source
	case len(p.ELF) <= MaxLinkedELF:
		if p.linkELF == "" {
			p.linkELF = deflate64(p.ELF)
		}
		elf = p.linkELF
	default:
		s.Size, s.SHA = len(p.ELF), p.SHA()
	}
	if d.Budget != fmt.Sprint(DefaultBudget) {
		s.Budget = d.Budget
	}
	for pc := range d.Breakpoints {
		s.BPs = append(s.BPs, pc)
	}
	sort.Ints(s.BPs)
	if d.vm != nil {
		s.Step = d.vm.Executed()
	}
	if d.Mode == modeRuntime || len(a.Ix.Accounts) > 0 || a.Ix.Data != "" {
		s.Ix = a.Ix.Doc(false)
	}
	return s, elf
}

// Permalink writes the current state into the URL fragment: a new history
// entry when the program, view, mode or instruction changed, else in place
// of the current one.
func (a *App) Permalink() {
	if a.Host == nil || a.Prog == nil || a.restoring {
		return
	}
	s, elf := a.currentLink()
	frag, err := encodeLink(s, elf)
	if err != nil || frag == a.link.frag {
		return
	}
	place := linkPlace(s)
	if h, ok := a.Host.(historyHost); ok && a.link.place != "" && place != a.link.place {
		h.PushFragment(frag)
		a.link.frag, a.link.place, a.link.next = frag, place, ""
		return
	}
	if a.Env == nil {
		a.Host.SetFragment(frag)
		a.link.frag, a.link.place = frag, place
		return
	}
	// A step replaces the entry in a turn of its own, after the page has
	// drawn the step: the browser's replaceState takes a few ms.
	pending := a.link.next != ""
	a.link.next, a.link.nextPlace = frag, place
	if !pending {
		a.Go("writing the link", func() {
			a.Host.Yield()
			a.Env.Lock()
			defer a.Env.UnlockOnly()
			if f := a.link.next; f != "" && !a.restoring {
				a.Host.SetFragment(f)
				a.link.frag, a.link.place, a.link.next = f, a.link.nextPlace, ""
			}
		})
	}
}

// linkMemory is what the page last wrote to or read from the fragment,
// and the files it has seen, so that going back to a link that names a
// large file finds it again.
type linkMemory struct {
	frag, place string
	// next is a fragment waiting to replace the current one.
	next, nextPlace string
	files           []seenFile
}

// seenFile is a file the page loaded, kept for links that name it.
type seenFile struct {
	sha, name string
	data      []byte
}

// maxSeenFiles bounds the files kept for back and forward.
const maxSeenFiles = 3

// remember keeps p's bytes for links that name it.
func (l *linkMemory) remember(p *Loaded) {
	if p.Origin != "file" && p.Origin != "link" {
		return
	}
	sha := p.SHA()
	for i, f := range l.files {
		if f.sha == sha {
			l.files = append(l.files[:i], l.files[i+1:]...)
			break
		}
	}
	l.files = append([]seenFile{{sha, p.Name, p.ELF}}, l.files...)
	if len(l.files) > maxSeenFiles {
		l.files = l.files[:maxSeenFiles]
	}
}

func (l *linkMemory) find(sha string) (seenFile, bool) {
	for _, f := range l.files {
		if f.sha == sha {
			return f, true
		}
	}
	return seenFile{}, false
}

// PendingFile is a link's program that the page does not have: the link
// names it by file name, size and sha256.
type PendingFile struct {
	Name string
	Size int
	SHA  string
	link linkState
}

// Text asks for the file.
func (p *PendingFile) Text() string {
	return fmt.Sprintf("This link is for %s: %s bytes, sha256 %s. A program that large does not travel in a link. Drop this file anywhere on the page to continue where the link left off.",
		p.Name, thousands(uint64(p.Size)), p.SHA)
}

// Start applies the URL fragment the page was opened with.
func (a *App) Start(fragment string) {
	defer a.Recover("opening the link")
	a.openLink(fragment)
}

// Navigate applies a fragment the browser moved to: back, forward, or a
// link followed within the page.
func (a *App) Navigate(fragment string) {
	defer a.Recover("following the link")
	if fragment == a.link.frag {
		return
	}
	a.openLink(fragment)
}

func (a *App) openLink(fragment string) {
	if fragment == "" {
		return
	}
	s, err := decodeLink(fragment)
	if err != nil {
		a.Err = "The page link could not be opened: " + err.Error()
		return
	}
	a.link.frag = fragment
	a.restoring = true
	defer func() { a.restoring = false }()
	if !a.openLinkProgram(s) {
		return
	}
	a.applyLinkState(s)
	a.link.place = linkPlace(s)
}

// openLinkProgram makes the link's program the current one, loading it
// only when it is not already; false when the page does not have it.
func (a *App) openLinkProgram(s linkState) bool {
	p := a.Prog
	switch {
	case s.Example != "":
		if p == nil || p.Example != s.Example {
			a.openExample(s.Example)
		}
	case s.Source != "":
		if p == nil || p.Example != "" || p.Source != s.Source {
			a.Source = s.Source
			a.buildSource(s.Name)
		}
	case len(s.ELF) > 0:
		if p == nil || p.SHA() != shaHex(s.ELF) {
			a.loadELF(&Loaded{Name: s.Name, Origin: "link", ELF: s.ELF})
		}
	case s.SHA != "":
		if p != nil && p.SHA() == s.SHA {
			break
		}
		if f, ok := a.link.find(s.SHA); ok {
			a.loadELF(&Loaded{Name: f.name, Origin: "file", ELF: f.data})
			break
		}
		// Never show another program under this link: unload, and ask.
		a.unload()
		a.Pending = &PendingFile{Name: s.Name, Size: s.Size, SHA: s.SHA, link: s}
		a.View = "load"
		return false
	default:
		return false
	}
	a.Pending = nil
	return a.Prog != nil
}

// unload forgets the current program.
func (a *App) unload() {
	a.Prog = nil
	a.Debug.unload()
}

// unload forgets the run of a program no longer loaded.
func (d *DebugState) unload() {
	d.gen++
	d.vm, d.Running, d.result, d.built = nil, false, nil, nil
	d.Status, d.Err = "", ""
}

// applyLinkState applies everything but the program.
func (a *App) applyLinkState(s linkState) {
	d := &a.Debug
	d.InputHex = s.Input
	d.Budget = fmt.Sprint(DefaultBudget)
	if s.Budget != "" {
		d.Budget = s.Budget
	}
	if s.Mode == modeRuntime || s.Mode == modeBare {
		d.Mode = s.Mode
	}
	d.Verify = s.Verify
	if len(s.Ix) > 0 {
		if f, err := fromDoc(s.Ix); err == nil {
			a.Ix.replace(f)
			if a.Prog != nil && f.ProgramID == defaultProgramID(a.Prog.ELF) {
				a.Ix.autoID = true
			}
		}
	}
	d.Breakpoints = map[int]bool{}
	for _, pc := range s.BPs {
		d.Breakpoints[pc] = true
	}
	for _, v := range Views {
		if v.ID == s.View {
			a.View = v.ID
			if v.ID == "speed" {
				a.Speed.CheckServer()
			}
		}
	}
	if a.Prog == nil || a.Prog.Prog == nil {
		return
	}
	d.restoreStep(a.Prog, s.Step)
}

// restoreStep brings the run of p to where a link left it, step
// instructions executed.
func (d *DebugState) restoreStep(p *Loaded, step uint64) {
	if d.vm != nil && !d.Running && d.vm.Executed() == step && d.builtKey != "" {
		if _, key, err := d.runSpec(p); err == nil && key == d.builtKey {
			return // already there
		}
	}
	if step == 0 {
		d.invalidateRun("")
		return
	}
	// Replay in slices like any run: a link may ask for billions of
	// steps, and the page must stay responsive (and stoppable).
	d.reset()
	d.runSliced("restoring the link", func(d *DebugState, _ int) bool { return d.vm.Executed() >= step })
	if d.vm != nil && !d.Running && !d.vm.Done() {
		d.Status = fmt.Sprintf("restored from the link: %s executed", count(d.vm.Executed(), "instruction"))
	}
}

// shaHex is the sha256 of b in hex.
func shaHex(b []byte) string {
	sum := digest.Sum256(b)
	return hex.EncodeToString(sum[:])
}
