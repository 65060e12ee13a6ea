package knowncookies

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Names of the downloaded files in the cache directory.
const (
	CookieDBFile = "open-cookie-database.csv"
	EntitiesFile = "third-party-web-entities.json"
)

// OpenOptions says which layers Open stacks on the embedded database.
type OpenOptions struct {
	// UserFiles are known-cookie files in the Open Cookie Database layout
	// (--cookie-db). They are the strongest layers; a file named later wins
	// over one named earlier. A malformed row in a user file is an error.
	UserFiles []string
	// Offline leaves out the downloaded files (--offline-db).
	Offline bool
	// CacheDir holds the downloaded files; empty means DefaultCacheDir().
	CacheDir string
}

// DefaultCacheDir is os.UserCacheDir()/cookiescan.
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("knowncookies: cache dir: %w", err)
	}
	return filepath.Join(dir, "cookiescan"), nil
}

// Open builds the database a scan uses: user files, then the embedded
// database, then the Open Cookie Database downloaded by `cookiescan db update`
// when it is in the cache and Offline is false. Hosts come from the embedded
// vendor list, then from the downloaded third-party-web entities.
//
// A missing download is not an error: the embedded database is complete on
// its own. Malformed rows in the download do not stop the scan either (the
// file is not the user's to fix); they are kept in DB.Warnings.
func Open(ctx context.Context, opts OpenOptions) (*DB, error) {
	d, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	var layers []Layer
	// Later files win, so they go first.
	for _, path := range slices.Backward(opts.UserFiles) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("knowncookies: open: %w", err)
		}
		es, err := LoadFile(path)
		if err != nil {
			return nil, fmt.Errorf("knowncookies: --cookie-db %s: %w", path, err)
		}
		layers = append(layers, Layer{Source: UserSource(path), Entries: es})
	}
	layers = append(layers, Layer{Source: SourceEmbedded, Entries: d.entries})
	vendorLists := [][]Vendor{d.vendors}

	var warnings []error
	if !opts.Offline {
		dir := opts.CacheDir
		if dir == "" {
			if dir, err = DefaultCacheDir(); err != nil {
				return nil, err
			}
		}
		es, err := loadCached(filepath.Join(dir, CookieDBFile))
		var me *MalformedError
		switch {
		case errors.As(err, &me):
			warnings = append(warnings, err)
		case err != nil:
			return nil, err
		}
		if len(es) > 0 {
			layers = append(layers, Layer{Source: SourceOpenCookie, Entries: es})
		}
		vs, err := loadCachedEntities(filepath.Join(dir, EntitiesFile))
		if err != nil {
			return nil, err
		}
		if len(vs) > 0 {
			vendorLists = append(vendorLists, vs)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("knowncookies: open: %w", err)
	}
	db := New(vendorLists, layers...)
	db.warnings = warnings
	return db, nil
}

// loadCached reads the downloaded Open Cookie Database; a missing file gives
// no entries and no error.
func loadCached(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("knowncookies: downloaded database: %w", err)
	}
	defer f.Close()
	es, err := Load(f, SourceOpenCookie)
	if err != nil {
		return es, fmt.Errorf("knowncookies: downloaded database %s: %w", path, err)
	}
	return es, nil
}

func loadCachedEntities(path string) ([]Vendor, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("knowncookies: downloaded entities: %w", err)
	}
	defer f.Close()
	vs, err := LoadEntities(f, path)
	if err != nil {
		return nil, fmt.Errorf("knowncookies: downloaded entities: %w", err)
	}
	return vs, nil
}
