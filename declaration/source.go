package declaration

import (
	"context"
	"fmt"
	"strings"
)

// IsExplicitSource reports whether a --declaration value names a file or a
// URL, as opposed to "auto" (find it on the site) or "none".
func IsExplicitSource(source string) bool {
	return source != "" && source != "auto" && source != "none"
}

// CheckSource makes sure an explicit declaration (a local file or a URL)
// can be read, before a scan spends a browser on the site: a typo in
// --declaration must stop the run, not turn into a warning. It reads the
// file, or fetches the URL with f, and returns an error naming the source
// and the cause. "auto" and "none" are always fine.
func CheckSource(ctx context.Context, f Fetcher, source string) error {
	if !IsExplicitSource(source) {
		return nil
	}
	var page *Page
	var err error
	if strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://") {
		page, err = f.Fetch(ctx, source)
	} else {
		page, err = LoadFile(source, 0)
	}
	if err != nil {
		return fmt.Errorf("--declaration %s cannot be read: %w (give a readable file, a reachable URL, \"auto\" or \"none\")", source, err)
	}
	if len(page.Body) > 0 && looksBinary(page.Body) {
		return fmt.Errorf("--declaration %s: %w (give an HTML or text declaration)", source, ErrNotText)
	}
	return nil
}
