// Package cookiescan is the root of the cookiescan module. It carries the
// fixture sites of testdata/sites into the binary, so that `cookiescan demo`
// works anywhere without the source tree.
package cookiescan

import (
	"embed"
	"io/fs"
)

//go:embed all:testdata/sites
var sites embed.FS

// FixtureSites returns the fixture sites, one folder per site.
func FixtureSites() fs.FS {
	sub, err := fs.Sub(sites, "testdata/sites")
	if err != nil {
		// fs.Sub fails only on an invalid path, and this one is a constant.
		panic(err)
	}
	return sub
}
