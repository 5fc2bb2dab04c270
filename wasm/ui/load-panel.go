package ui

// LoadPanel offers the ways to get a program into the page: a file, an
// example or assembly typed in the editor.
type LoadPanel struct {
	App *App
}

// LimitText describes the file size limit.
func (c *LoadPanel) LimitText() string { return sizeText(MaxFileSize) }
