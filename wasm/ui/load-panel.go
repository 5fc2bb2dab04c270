package ui

import (
	"github.com/vugu/vugu"

	"github.com/rbpfgo/rbpfgo/web/examples"
)

// LoadPanel offers the ways to get a program into the page: a file, an
// example or assembly typed in the editor.
type LoadPanel struct {
	App *App
}

// loadCardsView is the file and example cards (loadCardsTmpl).
type loadCardsView struct {
	Limit    string
	Examples []examples.Example
	_        [0]func()
}

// loadCardsHTML draws the cards that load a program as one string: as a
// vugu template they cost the page 40 KB of WebAssembly. Their buttons
// go through App.Act.
func loadCardsHTML() vugu.HTML {
	return loadCardsTmpl.render(loadCardsView{Limit: sizeText(MaxFileSize), Examples: Examples})
}

var loadCardsTmpl = newTmpl(`<div class="card"><h3>Your ELF file</h3>
<p>Drop a Solana program (<code>.so</code>) anywhere on this page, or pick one. Files above {Limit} are refused before they are read.</p>
<label class="button primary">Choose a file…<input id="file-pick" type="file" class="hidden-input"></label>
<h3 class="gap">New here?</h3>
<p>The guided tour loads the relative-calls example and walks through validation, each relocation, call hashing and the first steps of execution.</p>
<button class="plain" id="tour-start-card" name="do:tour">Start the guided tour</button></div>
<div class="card"><h3>Examples</h3><p>Built into ELF files by the project's own builder when you open them.</p>
<ul class="examples">{*Examples}<li><button id="example-{ID}" name="do:example:{ID}"><b>{Title}</b><span>{Blurb}</span></button></li>{/}</ul></div>`)
