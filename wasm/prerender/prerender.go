package prerender

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/vugu/html"
	"github.com/vugu/html/atom"
	"github.com/vugu/vugu"
	"github.com/vugu/vugu/staticrender"

	"github.com/rbpfgo/rbpfgo/wasm/ui"
)

// MountID is the id of the element the WebAssembly program renders into.
const MountID = "vugu_mount_point"

// FirstView returns the page's first view as the mount point element:
// ui.Root built for a new App, with the id MountID.
func FirstView() (string, error) {
	app := ui.NewApp(nil)
	env, err := vugu.NewBuildEnv()
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	if err := staticrender.New(&out).Render(env.RunBuild(ui.NewRoot(app))); err != nil {
		return "", fmt.Errorf("rendering the first view: %w", err)
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(&out, body)
	if err != nil {
		return "", err
	}
	if len(nodes) != 1 || nodes[0].Type != html.ElementNode {
		return "", fmt.Errorf("the first view is %d nodes, want one element", len(nodes))
	}
	root := nodes[0]
	setAttr(root, "id", MountID)
	regions := app.RegionsHTML(app.View)
	filled := map[string]bool{}
	var fill func(n *html.Node) error
	fill = func(n *html.Node) error {
		if n.Type == html.ElementNode {
			id := attr(n, "id")
			switch {
			case n.Data == "rbpf-html" && regions[id] != "":
				kids, err := html.ParseFragment(strings.NewReader(regions[id]), n)
				if err != nil {
					return fmt.Errorf("region %s: %w", id, err)
				}
				for _, k := range kids {
					n.AppendChild(k)
				}
				filled[id] = true
				return nil
			case n.Data == "textarea" && id == "asm-src" && n.FirstChild == nil:
				n.AppendChild(&html.Node{Type: html.TextNode, Data: app.Source})
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := fill(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := fill(root); err != nil {
		return "", err
	}
	for id := range regions {
		if !filled[id] && regions[id] != "" {
			return "", fmt.Errorf("the first view has no region %q", id)
		}
	}
	var b strings.Builder
	if err := html.Render(&b, root); err != nil {
		return "", err
	}
	return b.String(), nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append([]html.Attribute{{Key: key, Val: val}}, n.Attr...)
}
