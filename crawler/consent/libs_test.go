package consent

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// The real open-source consent libraries are installed from the npm
// registry (pinned by testdata/npm/package-lock.json) into .cache/npm by
// scripts/ensure-deps.sh, and served unmodified as the site
// https://lib.cmp-npm.test/<package>/… next to the fixture sites.
const libHost = "lib.cmp-npm.test"

func libsDir() string { return filepath.Join("..", "..", ".cache", "npm", "node_modules") }

// libsMissing says why the libraries cannot be served, or "".
func libsMissing() string {
	for _, p := range []string{"vanilla-cookieconsent", "cookieconsent", "tarteaucitronjs", "orejime", "klaro"} {
		if _, err := os.Stat(filepath.Join(libsDir(), p, "package.json")); err != nil {
			return fmt.Sprintf("consent library %s is not installed in .cache/npm (run scripts/ensure-deps.sh or make test): %v", p, err)
		}
	}
	return ""
}

// requireLibs skips a test on the real libraries when they are missing,
// and fails it under CI=true, where they must be installed.
func requireLibs(tb testing.TB) {
	tb.Helper()
	if msg := libsMissing(); msg != "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
}

// sitesWithLibs serves testdata/sites plus the installed libraries as one
// more site, "npm-libs".
type sitesWithLibs struct {
	sites, libs fs.FS
}

const libSite = "npm-libs"

func newSitesWithLibs(sites string) fs.FS {
	return sitesWithLibs{sites: os.DirFS(sites), libs: os.DirFS(libsDir())}
}

func (o sitesWithLibs) Open(name string) (fs.File, error) {
	switch {
	case name == libSite+"/site.json":
		return fstest.MapFS{"site.json": {Data: []byte(`{"hosts": ["` + libHost + `"]}`)}}.Open("site.json")
	case name == libSite:
		return o.libs.Open(".")
	case strings.HasPrefix(name, libSite+"/"):
		return o.libs.Open(strings.TrimPrefix(name, libSite+"/"))
	}
	return o.sites.Open(name)
}

func (o sitesWithLibs) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return fs.ReadDir(fstest.MapFS{}, name) // only the root is listed
	}
	entries, err := fs.ReadDir(o.sites, ".")
	if err != nil {
		return nil, err
	}
	if libsMissing() == "" {
		entries = append(entries, dirEntry(libSite))
	}
	return entries, nil
}

type dirEntry string

func (d dirEntry) Name() string               { return string(d) }
func (d dirEntry) IsDir() bool                { return true }
func (d dirEntry) Type() fs.FileMode          { return fs.ModeDir }
func (d dirEntry) Info() (fs.FileInfo, error) { return dirInfo(d), nil }

type dirInfo string

func (d dirInfo) Name() string       { return string(d) }
func (d dirInfo) Size() int64        { return 0 }
func (d dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (d dirInfo) ModTime() time.Time { return time.Time{} }
func (d dirInfo) IsDir() bool        { return true }
func (d dirInfo) Sys() any           { return nil }
