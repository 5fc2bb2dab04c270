package ui

import (
	"html"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/vugu/vugu"
)

// A small template language for the views drawn as HTML strings (vg-html).
// Go compiled to WebAssembly spends about 2 KB on every element of a vugu
// template and hundreds of bytes on every call that writes HTML, while a
// template here is data. The syntax:
//
//	{Name}         the field Name of the current value, HTML-escaped; a
//	               path A.B goes into a field's fields, and a name not
//	               found in the current value is looked up in the values
//	               around it
//	{=Name}        the field unescaped (HTML made by the page)
//	{?Name}…{/}    the block when the field is set: true, a non-empty
//	               string, slice or map, a non-zero number, a non-nil
//	               pointer
//	{!Name}…{/}    the block when it is not
//	{*Name}…{/}    the block for each element of a slice, the element
//	               being the current value ({.} is the element itself)
//
// Only struct fields are read, never methods: a program that calls
// methods by name through reflection keeps every method of every type.

// tmplNode is a parsed template: text, or a directive with its body.
type tmplNode struct {
	kind byte // 0 text, '=' raw, 'v' escaped value, '?', '!', '*'
	text string
	path []string
	body []tmplNode
}

// tmpl is a template parsed on first use.
type tmpl struct {
	src   string
	once  sync.Once
	nodes []tmplNode
}

func newTmpl(src string) *tmpl { return &tmpl{src: src} }

// parseTmpl parses src up to a closing {/} (or the end); it returns the
// nodes and the rest of src.
func parseTmpl(src string) ([]tmplNode, string) {
	var out []tmplNode
	for src != "" {
		i := strings.IndexByte(src, '{')
		if i < 0 {
			return append(out, tmplNode{text: src}), ""
		}
		if i > 0 {
			out = append(out, tmplNode{text: src[:i]})
		}
		j := strings.IndexByte(src[i:], '}')
		if j < 0 {
			panic("template: unclosed { in " + src[i:])
		}
		tag := src[i+1 : i+j]
		src = src[i+j+1:]
		if tag == "/" {
			return out, src
		}
		n := tmplNode{kind: 'v'}
		if tag != "" && strings.IndexByte("=?!*", tag[0]) >= 0 {
			n.kind, tag = tag[0], tag[1:]
		}
		n.path = strings.Split(tag, ".")
		if tag == "." {
			n.path = nil
		}
		if n.kind == '?' || n.kind == '!' || n.kind == '*' {
			n.body, src = parseTmpl(src)
		}
		out = append(out, n)
	}
	return out, ""
}

// render writes the template with data as the current value.
func (t *tmpl) render(data any) vugu.HTML {
	t.once.Do(func() { t.nodes, _ = parseTmpl(t.src) })
	var b strings.Builder
	execTmpl(&b, t.nodes, []reflect.Value{reflect.ValueOf(data)})
	return vugu.HTML(b.String())
}

func execTmpl(b *strings.Builder, nodes []tmplNode, scope []reflect.Value) {
	for _, n := range nodes {
		if n.kind == 0 {
			b.WriteString(n.text)
			continue
		}
		v := lookup(scope, n.path)
		switch n.kind {
		case 'v':
			b.WriteString(html.EscapeString(valueText(v)))
		case '=':
			b.WriteString(valueText(v))
		case '?', '!':
			if truthy(v) == (n.kind == '?') {
				execTmpl(b, n.body, scope)
			}
		case '*':
			for i := 0; v.IsValid() && i < v.Len(); i++ {
				execTmpl(b, n.body, append(scope, v.Index(i)))
			}
		}
	}
}

// lookup finds path from the innermost value of scope outwards.
func lookup(scope []reflect.Value, path []string) reflect.Value {
	if len(path) == 0 {
		return scope[len(scope)-1]
	}
	for i := len(scope) - 1; i >= 0; i-- {
		if v, ok := field(scope[i], path[0]); ok {
			for _, name := range path[1:] {
				if v, ok = field(v, name); !ok {
					panic("template: no field " + strings.Join(path, "."))
				}
			}
			return v
		}
	}
	panic("template: no field " + strings.Join(path, "."))
}

// field is the field name of v, through pointers and interfaces.
func field(v reflect.Value, name string) (reflect.Value, bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return reflect.Value{}, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	idx, ok := fieldIndex(v.Type(), name)
	if !ok {
		return reflect.Value{}, false
	}
	return v.FieldByIndex(idx), true
}

// fieldIndexes caches where a field is in a struct type, embedded
// structs' fields included.
var fieldIndexes sync.Map // struct{reflect.Type; string} -> []int

func fieldIndex(t reflect.Type, name string) ([]int, bool) {
	type key struct {
		t    reflect.Type
		name string
	}
	if v, ok := fieldIndexes.Load(key{t, name}); ok {
		idx := v.([]int)
		return idx, idx != nil
	}
	var idx []int
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == name {
			idx = []int{i}
			break
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if sub, ok := fieldIndex(f.Type, name); ok {
				idx = append([]int{i}, sub...)
				break
			}
		}
	}
	fieldIndexes.Store(key{t, name}, idx)
	return idx, idx != nil
}

func truthy(v reflect.Value) bool {
	if !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool()
	case reflect.String, reflect.Slice, reflect.Map:
		return v.Len() > 0
	case reflect.Int, reflect.Int64:
		return v.Int() != 0
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil()
	}
	return true
}

func valueText(v reflect.Value) string {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	}
	return ""
}
