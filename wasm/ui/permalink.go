package ui

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// MaxLinkedELF is the largest ELF a permalink carries; larger programs are
// shared as assembly only.
const MaxLinkedELF = 48 << 10

// linkState is what a permalink restores.
type linkState struct {
	Name    string `json:"n,omitempty"`
	Example string `json:"x,omitempty"` // a built-in example, by id
	Source  string `json:"s,omitempty"` // assembly
	ELF     []byte `json:"e,omitempty"` // an ELF file (up to MaxLinkedELF)
	Input   string `json:"i,omitempty"`
	Budget  string `json:"b,omitempty"`
	BPs     []int  `json:"p,omitempty"`
	Step    uint64 `json:"t,omitempty"` // instructions executed
	View    string `json:"v,omitempty"`
}

const linkPrefix = "v1."

// encodeLink is the URL fragment for s: deflated JSON in base64url.
func encodeLink(s linkState) (string, error) {
	js, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zw.Write(js)
	zw.Close()
	return linkPrefix + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// decodeLink reverses encodeLink, refusing anything that inflates beyond a
// sane size.
func decodeLink(frag string) (linkState, error) {
	var s linkState
	if !strings.HasPrefix(frag, linkPrefix) {
		return s, errors.New("not a playground link")
	}
	raw, err := base64.RawURLEncoding.DecodeString(frag[len(linkPrefix):])
	if err != nil {
		return s, fmt.Errorf("damaged link: %v", err)
	}
	js, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), 4*MaxLinkedELF))
	if err != nil {
		return s, fmt.Errorf("damaged link: %v", err)
	}
	if err := json.Unmarshal(js, &s); err != nil {
		return s, fmt.Errorf("damaged link: %v", err)
	}
	return s, nil
}

// Permalink writes the current state into the URL fragment.
func (a *App) Permalink() {
	if a.Host == nil || a.Prog == nil {
		return
	}
	s := linkState{Name: a.Prog.Name, Example: a.Prog.Example, Input: a.Debug.InputHex, View: a.View}
	switch {
	case a.Prog.Example != "":
	case a.Prog.Source != "":
		s.Source = a.Prog.Source
	case len(a.Prog.ELF) <= MaxLinkedELF:
		s.ELF = a.Prog.ELF
	default:
		a.Notice = fmt.Sprintf("This file is above %s, so the page link does not include it.", sizeText(MaxLinkedELF))
		return
	}
	if a.Debug.Budget != fmt.Sprint(DefaultBudget) {
		s.Budget = a.Debug.Budget
	}
	for pc := range a.Debug.Breakpoints {
		s.BPs = append(s.BPs, pc)
	}
	sort.Ints(s.BPs)
	if a.Debug.vm != nil {
		s.Step = a.Debug.vm.Executed()
	}
	frag, err := encodeLink(s)
	if err != nil {
		return
	}
	a.Host.SetFragment(frag)
}

// Start applies the URL fragment the page was opened with.
func (a *App) Start(fragment string) {
	defer a.Recover("opening the link")
	if fragment == "" {
		return
	}
	s, err := decodeLink(fragment)
	if err != nil {
		a.Err = "The page link could not be opened: " + err.Error()
		return
	}
	switch {
	case s.Example != "":
		a.openExample(s.Example)
	case s.Source != "":
		a.Source = s.Source
		a.buildSource(s.Name)
	case len(s.ELF) > 0:
		a.loadELF(&Loaded{Name: s.Name, Origin: "link", ELF: s.ELF})
	default:
		return
	}
	a.Debug.InputHex = s.Input
	if s.Budget != "" {
		a.Debug.Budget = s.Budget
	}
	for _, pc := range s.BPs {
		a.Debug.Breakpoints[pc] = true
	}
	for _, v := range Views {
		if v.ID == s.View {
			a.Show(v.ID)
		}
	}
	if s.Step > 0 && a.Prog != nil && a.Prog.Prog != nil {
		// Replay in slices like any run: a link may ask for billions of
		// steps, and the page must stay responsive (and stoppable).
		a.debugReset()
		target := s.Step
		a.runSliced("restoring the link", func(d *DebugState, _ int) bool { return d.vm.Executed() >= target })
		if a.Debug.vm != nil && !a.Debug.Running && !a.Debug.vm.Done() {
			a.Debug.Status = fmt.Sprintf("restored from the link: %s executed", count(a.Debug.vm.Executed(), "instruction"))
		}
	}
}
