package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/result"
)

// jsonWriter writes the whole result, lossless, with its schema version.
// encoding/json escapes <, > and & and every control character, so nothing
// a site sent can turn into markup or a terminal escape.
type jsonWriter struct{}

var _ Writer = jsonWriter{}

func (jsonWriter) Write(w io.Writer, s *result.Scan) error {
	out := *s // a shallow copy: the caller's scan is not changed
	if out.SchemaVersion == 0 {
		out.SchemaVersion = result.SchemaVersion
	}
	out.Findings = slices.Clone(s.Findings)
	out.Baselined = slices.Clone(s.Baselined)
	audit.Sort(out.Findings)
	audit.Sort(out.Baselined)
	if out.Findings == nil {
		out.Findings = []audit.Finding{} // "findings": [] tells a reader the audit ran
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return nil
}
