package knowncookies

import (
	"bytes"
	"embed"
	"fmt"
	"sync"
)

// The embedded database: cookies in the Open Cookie Database layout, and the
// vendor list with aliases and hosts. Both are written for this project from
// vendors' own documentation and observed behaviour; see data/README.md.
//
//go:embed data/cookies.csv data/vendors.json
var data embed.FS

type embeddedData struct {
	entries []Entry
	vendors []Vendor
}

// loadEmbedded parses the embedded files once. A parse error is a bug of the
// build, reported as an error rather than a panic so that a command can say so.
var loadEmbedded = sync.OnceValues(func() (embeddedData, error) {
	var d embeddedData
	raw, err := data.ReadFile("data/cookies.csv")
	if err != nil {
		return d, fmt.Errorf("knowncookies: embedded cookies: %w", err)
	}
	if d.entries, err = Load(bytes.NewReader(raw), SourceEmbedded); err != nil {
		return d, fmt.Errorf("knowncookies: embedded cookies: %w", err)
	}
	raw, err = data.ReadFile("data/vendors.json")
	if err != nil {
		return d, fmt.Errorf("knowncookies: embedded vendors: %w", err)
	}
	if d.vendors, err = loadVendors(bytes.NewReader(raw), SourceEmbedded); err != nil {
		return d, fmt.Errorf("knowncookies: embedded vendors: %w", err)
	}
	return d, nil
})

// EmbeddedEntries returns a copy of the embedded cookie entries.
func EmbeddedEntries() ([]Entry, error) {
	d, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	return append([]Entry(nil), d.entries...), nil
}

// EmbeddedVendors returns a copy of the embedded vendor list.
func EmbeddedVendors() ([]Vendor, error) {
	d, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	out := make([]Vendor, len(d.vendors))
	for i, v := range d.vendors {
		v.Aliases = append([]string(nil), v.Aliases...)
		v.Hosts = append([]string(nil), v.Hosts...)
		out[i] = v
	}
	return out, nil
}

// Default returns the embedded database alone: no user files, no download.
// The database is built once and shared; it is immutable.
func Default() (*DB, error) { return defaultDB() }

var defaultDB = sync.OnceValues(func() (*DB, error) {
	d, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	return New([][]Vendor{d.vendors}, Layer{Source: SourceEmbedded, Entries: d.entries}), nil
})
