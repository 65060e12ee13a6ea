package knowncookies

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// RowError is one row of a known-cookie file that could not be used.
type RowError struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"message"`
}

func (e RowError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// MalformedError lists every row of a file that could not be used. Load
// returns it together with the good rows, so a caller can show all problems
// at once; cookiescan refuses such a file rather than drop rows silently.
type MalformedError struct {
	File string
	Rows []RowError
}

// maxListed bounds the message; Rows always holds them all.
const maxListed = 10

func (e *MalformedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d malformed row(s)", e.File, len(e.Rows))
	for i, r := range e.Rows {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-maxListed)
			break
		}
		b.WriteString("; ")
		b.WriteString(r.Error())
	}
	return b.String()
}

// ErrNoHeader is returned when a file lacks the columns a known-cookie file needs.
var ErrNoHeader = errors.New("not a known-cookie file: the header needs the columns Platform, Category and \"Cookie / Data Key name\"")

// Column names of the Open Cookie Database layout.
const (
	colID         = "id"
	colPlatform   = "platform"
	colCategory   = "category"
	colName       = "cookie / data key name"
	colDomain     = "domain"
	colDesc       = "description"
	colRetention  = "retention period"
	colController = "data controller"
	colPrivacy    = "user privacy & gdpr rights portals"
	colWildcard   = "wildcard match"
)

// maxRowErrors stops reading a file that is clearly not CSV of this layout.
const maxRowErrors = 1000

// Load reads a known-cookie file in the Open Cookie Database CSV layout. The
// columns are found by their header names, so their order may differ; only
// Platform, Category and "Cookie / Data Key name" are required. source names
// the file in errors and in Entry.Source ("embedded", "user:PATH", …).
//
// Rows that cannot be used are never dropped silently: Load returns the good
// entries and a *MalformedError listing every bad row with its line.
func Load(r io.Reader, source string) ([]Entry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a short row is reported with its line, not fatal
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", source, ErrNoHeader)
		}
		return nil, fmt.Errorf("%s: read header: %w", source, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	for _, need := range []string{colPlatform, colCategory, colName} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: %w", source, ErrNoHeader)
		}
	}
	cell := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}

	var (
		entries []Entry
		bad     []RowError
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{File: source, Line: pe.StartLine, Msg: pe.Err.Error()})
				if len(bad) >= maxRowErrors {
					break
				}
				continue
			}
			return entries, fmt.Errorf("%s: read: %w", source, err)
		}
		// FieldPos is valid only after a successful Read.
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			bad = append(bad, RowError{File: source, Line: line, Msg: fmt.Sprintf("%d fields, header has %d", len(rec), len(header))})
			continue
		}
		e, msg := rowEntry(rec, cell)
		if msg != "" {
			bad = append(bad, RowError{File: source, Line: line, Msg: msg})
			continue
		}
		e.Source, e.Line = source, line
		entries = append(entries, e)
	}
	if len(bad) > 0 {
		return entries, &MalformedError{File: source, Rows: bad}
	}
	return entries, nil
}

func rowEntry(rec []string, cell func([]string, string) string) (Entry, string) {
	e := Entry{
		ID:          cell(rec, colID),
		Platform:    cell(rec, colPlatform),
		RawCategory: cell(rec, colCategory),
		Name:        cell(rec, colName),
		Domain:      cell(rec, colDomain),
		Description: cell(rec, colDesc),
		Retention:   cell(rec, colRetention),
		Controller:  cell(rec, colController),
		PrivacyURL:  cell(rec, colPrivacy),
	}
	e.Vendor = e.Platform
	if e.Name == "" {
		return e, "empty cookie name"
	}
	cat, err := ParseCategory(e.RawCategory)
	if err != nil {
		return e, fmt.Sprintf("cookie %q: %v", e.Name, err)
	}
	e.Category = cat
	switch w := cell(rec, colWildcard); w {
	case "", "0":
	case "1":
		e.Wildcard = true
	default:
		return e, fmt.Sprintf("cookie %q: wildcard match %q (want 0 or 1)", e.Name, w)
	}
	// Some rows write a prefix as "NAME*" without setting the flag; the
	// star cannot be part of a cookie name (RFC 6265 allows it, but no
	// vendor uses it), so read it as the prefix it means.
	if strings.HasSuffix(e.Name, "*") {
		e.Name = strings.TrimRight(e.Name, "*")
		e.Wildcard = true
		if e.Name == "" {
			return e, "cookie name is only \"*\""
		}
	}
	e.Domains = parseDomains(e.Domain)
	return e, ""
}

// LoadFile reads a known-cookie file from disk; its source is "user:PATH".
func LoadFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("known-cookie file: %w", err)
	}
	defer f.Close()
	return Load(f, UserSource(path))
}
