package ui

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTemplate covers the template language: escaping, raw HTML, both
// conditions, loops with the element and outer fields, embedded fields.
func TestTemplate(t *testing.T) {
	type inner struct{ Key, Value string }
	type base struct{ Shared string }
	type row struct {
		base
		Name   string
		Fields []inner
		On     bool
		N      int
	}
	type data struct {
		Title string
		Raw   string
		Rows  []row
		Tags  []string
		Empty []string
		Ptr   *row
	}
	tm := newTmpl(`<h1>{Title}</h1>{=Raw}{*Rows}<p{?On} class="on"{/}>{Name}#{N}:{*Fields}{Name}.{Key}={Value};{/}{Shared}</p>{/}{?Empty}never{/}{!Empty}none{/}{*Tags}[{.}]{/}{?Ptr}{Ptr.Name}{/}`)
	got := string(tm.render(data{Title: "a<b", Raw: "<i>x</i>", Rows: []row{
		{base{"s1"}, "r1", []inner{{"k", "v&"}}, true, 3},
		{base{"s2"}, "r2", nil, false, 0},
	}, Tags: []string{"x", "y"}}))
	want := `<h1>a&lt;b</h1><i>x</i><p class="on">r1#3:r1.k=v&amp;;s1</p><p>r2#0:s2</p>none[x][y]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestIndentJSON: the page's indentation gives the document back intact.
func TestIndentJSON(t *testing.T) {
	in := []byte(`{"a":[],"b":{},"c":[1,{"d":"x,\"y\":[z]"}],"e":"\\"}`)
	out := indentJSON(in)
	var x, y any
	if err := json.Unmarshal(in, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &y); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	if string(xb) != string(yb) || !strings.Contains(string(out), "\n  \"c\": [\n    1,") {
		t.Errorf("indented\n%s", out)
	}
}
