package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cookiescan/cookiescan/internal/atomicfile"
	"github.com/cookiescan/cookiescan/result"
)

// DefaultStem is the file name, without extension, of a report written to
// an output folder: cookiescan-report.<ext>.
const DefaultStem = "cookiescan-report"

// Check reports whether every name is a known format, so that a typo fails
// before a scan rather than after it.
func Check(formats []string) error {
	if len(formats) == 0 {
		return fmt.Errorf("no report format given (valid formats: %s)", joinFormats())
	}
	for _, name := range formats {
		if _, err := lookup(name); err != nil {
			return err
		}
	}
	return nil
}

// WriteFiles renders s once in each format and writes it into dir as
// <stem>.<ext> for every stem (the schedule writes a dated copy and a
// -latest copy). Each file is written atomically: a reader never sees half
// a report, and a failed render leaves the previous file as it was. It
// returns the paths written, in order, also when it fails part way.
func WriteFiles(dir string, stems, formats []string, s *result.Scan, opts Options) ([]string, error) {
	if err := Check(formats); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create report folder: %w", err)
	}
	var written []string
	for _, name := range formats {
		f, _ := lookup(name)
		var buf bytes.Buffer
		if err := f.make(opts).Write(&buf, s); err != nil {
			return written, fmt.Errorf("render %s report: %w", name, err)
		}
		for _, stem := range stems {
			path := filepath.Join(dir, stem+"."+f.ext)
			if err := atomicfile.WriteBytes(path, buf.Bytes()); err != nil {
				return written, err
			}
			written = append(written, path)
		}
	}
	return written, nil
}
