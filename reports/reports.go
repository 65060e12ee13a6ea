// Package reports renders a scan result in the formats people and tools read:
// a terminal table, JSON, CSV, Markdown, a self-contained HTML page, JUnit
// XML and SARIF. Each format is one small writer behind the Writer interface.
//
// Writers never open files, exit, or read the clock, the environment or
// os.Stdout: everything they print comes from the result and the options,
// so the same input always gives the same bytes. Everything a website sent
// (cookie names, values, URLs, declaration text, banner labels) is treated
// as hostile and made inert for each format.
package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/cookiescan/cookiescan/result"
)

// Writer renders a scan to w.
type Writer interface {
	Write(w io.Writer, s *result.Scan) error
}

// Options shape the human formats. The zero value is ready to use.
type Options struct {
	// Width is the terminal width the table format wraps to; 0 means 100.
	Width int
	// Color asks the table format for ANSI colour; the CLI decides it, never
	// the writer.
	Color bool
}

// format is one entry of the format table: its name, the extension of its
// file, and its constructor.
type format struct {
	name, ext string
	make      func(Options) Writer
}

// formats is the one place that knows the format names.
func formats() []format {
	return []format{
		{"table", "txt", func(o Options) Writer { return tableWriter{width: o.width(), color: o.Color} }},
		{"json", "json", func(Options) Writer { return jsonWriter{} }},
		{"csv", "csv", func(Options) Writer { return csvWriter{} }},
		{"md", "md", func(Options) Writer { return markdownWriter{} }},
		{"html", "html", func(Options) Writer { return htmlWriter{} }},
		{"junit", "junit.xml", func(Options) Writer { return junitWriter{} }},
		{"sarif", "sarif", func(Options) Writer { return sarifWriter{} }},
	}
}

func (o Options) width() int {
	if o.Width <= 0 {
		return 100
	}
	return o.Width
}

// Formats lists the format names in a fixed order.
func Formats() []string {
	var names []string
	for _, f := range formats() {
		names = append(names, f.name)
	}
	return names
}

// New returns the writer for a format name.
func New(name string, opts Options) (Writer, error) {
	f, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return f.make(opts), nil
}

// FileName is the predictable file name of a format's report in an output
// folder: cookiescan-report.<ext>.
func FileName(name string) (string, error) {
	f, err := lookup(name)
	if err != nil {
		return "", err
	}
	return DefaultStem + "." + f.ext, nil
}

func lookup(name string) (format, error) {
	for _, f := range formats() {
		if f.name == name {
			return f, nil
		}
	}
	return format{}, fmt.Errorf("unknown report format %q (valid formats: %s)", name, joinFormats())
}

func joinFormats() string { return strings.Join(Formats(), ", ") }
