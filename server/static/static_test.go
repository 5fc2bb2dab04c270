package static

import (
	"io/fs"
	"strings"
	"testing"
)

func TestFS(t *testing.T) {
	page, err := fs.ReadFile(FS(), "index.html")
	if err != nil {
		t.Fatalf("no index.html: %v", err)
	}
	placeholder := strings.Contains(string(page), "built without the playground page")
	if placeholder == Built() {
		t.Errorf("Built() = %v but the page served is the placeholder: %v", Built(), placeholder)
	}
	if _, err := fs.Stat(FS(), ".keep"); Built() && err != nil {
		t.Errorf("the embedded tree is not dist: %v", err)
	}
}
