//go:build js && wasm

package main

import (
	"fmt"
	"runtime/debug"

	"github.com/vugu/vugu"
	"github.com/vugu/vugu/domrender"

	"github.com/rbpfgo/rbpfgo/wasm/ui"
)

func main() {
	h := newHost()
	h.markMain()
	renderer, err := domrender.New("#vugu_mount_point")
	if err != nil {
		panic(err)
	}
	defer renderer.Release()
	buildEnv, err := vugu.NewBuildEnv(renderer.EventEnv())
	if err != nil {
		panic(err)
	}

	app := ui.NewApp(h)
	app.Env = renderer.EventEnv()
	app.Compiled = compiledTier{}
	root := ui.NewRoot(app)
	app.Start(h.fragment())
	h.listen(app)

	first := true
	for ok := true; ok; ok = renderer.EventWait() {
		t0 := h.Now()
		err := renderOnce(buildEnv, renderer, root)
		h.markRender(h.Now() - t0)
		if err != nil {
			// A panic while building leaves the view half made: show the
			// error on the start view and build again from there.
			app.Env.Lock()
			app.Err = err.Error()
			app.View = "load"
			app.Env.UnlockOnly()
			if err := renderOnce(buildEnv, renderer, root); err != nil {
				h.log("playground cannot render: " + err.Error())
			}
		}
		if first {
			first = false
			h.markFirstRender()
			app.Go("replaying what was done before the start", h.replayEarly)
			app.Go("warming up the interpreter", func() { ui.WarmUp(h) })
		}
		if id := app.ScrollTo; id != "" {
			center := app.ScrollCenter
			app.ScrollTo, app.ScrollCenter = "", false
			h.scrollIntoView(id, center)
		}
	}
}

// renderOnce builds and renders the page, turning a panic into an error.
func renderOnce(env *vugu.BuildEnv, r *domrender.JSRenderer, root vugu.Builder) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error while drawing the page: %v", p)
			println(err.Error() + "\n" + string(debug.Stack()))
		}
	}()
	return r.Render(env.RunBuild(root))
}
