package declaration

import (
	"fmt"
	"os"
	"testing"
)

func TestDebugBlocks(t *testing.T) {
	path := os.Getenv("DECL_DEBUG")
	if path == "" {
		t.Skip()
	}
	page, _ := LoadFile(path, 0)
	text, _ := decodeBody(page.Body, page.ContentType)
	var doc *document
	if isHTML(page.ContentType, text) {
		doc, _ = parseHTML(text, "")
	} else {
		doc = parseText(text)
	}
	for i, b := range doc.blocks {
		if b.isTable {
			fmt.Printf("%3d TABLE head=%d %q\n", i, b.head, b.rows)
			continue
		}
		fmt.Printf("%3d h%d item=%v group=%v toggle=%v %.150q\n", i, b.heading, b.item, b.group, b.toggle, b.text)
	}
}
