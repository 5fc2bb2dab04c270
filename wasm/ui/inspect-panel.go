package ui

import "github.com/vugu/vugu"

// InspectPanel shows what the loader found in the current file.
type InspectPanel struct {
	App *App
}

// inspectHeadView is the Inspect view's heading and the load's outcome
// (inspectHeadTmpl).
type inspectHeadView struct {
	Name, Class, Status, Why string
	_                        [0]func()
}

// HeadHTML draws the heading with the download button, the load's outcome
// and, for a rejected file, how its error relates to the relocation
// replay, as one string; its buttons go through App.Act.
func (p *Loaded) HeadHTML() vugu.HTML {
	return inspectHeadTmpl.render(inspectHeadView{Name: p.Name, Class: p.StatusClass(), Status: p.LoadStatus(), Why: p.LoadErrorWhy()})
}

var inspectHeadTmpl = newTmpl(`<h2>Inspect <span class="mono name">{Name}</span>
<button class="plain small" id="download-elf" name="do:download-elf">download the ELF</button></h2>
<div id="load-status" class="{Class}">{Status}</div>
{?Why}<p class="note" id="load-error-why"><span>{Why}</span>
<button class="link" id="load-error-step" name="do:show:reloc">see the failing relocation step</button></p>{/}`)
