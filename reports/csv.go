package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// csvWriter writes the cookie inventory, one row per cookie, with the
// columns a data protection officer pastes into a register. The columns are
// fixed; a spreadsheet formula cannot hide in a cell.
type csvWriter struct{}

var _ Writer = csvWriter{}

func csvHeader() []string {
	return []string{"name", "domain", "path", "party", "vendor", "category", "confidence",
		"purpose", "lifespan", "lifespan_days", "session", "secure", "http_only", "same_site",
		"states", "declared", "first_page", "set_by", "setter"}
}

func (csvWriter) Write(w io.Writer, s *result.Scan) error {
	v := newView(s)
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return fmt.Errorf("csv report: %w", err)
	}
	for _, c := range v.inventory {
		cat := c.Label.Category
		if cat == "" {
			cat = cookie.Unclassified
		}
		row := []string{
			c.Name, c.Domain, c.Path, string(c.Party), c.Label.Vendor, string(cat), string(c.Label.Confidence),
			c.Label.Description, c.LifespanText(), fmt.Sprintf("%.1f", c.LifespanDays), yesNo(c.Session),
			yesNo(c.Secure), yesNo(c.HTTPOnly), c.SameSite, statesText(c.States()), v.declared(c),
			c.FirstSeenPage, string(c.SetBy.Kind), c.SetBy.URL,
		}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv report: %w", err)
	}
	return nil
}

// csvCell bounds and cleans a cell and neutralises a formula: a cell that
// starts with = + - @ (or a tab or CR, which some spreadsheets skip) gets a
// leading apostrophe, the OWASP advice, so it is shown as text.
func csvCell(s string) string {
	s = textsafe.Short(s, maxText)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// filePart is one file a format writes into an output folder.
type filePart struct {
	ext string
	w   Writer
}

// files are the files a format writes into an output folder: one
// <stem>.<ext>, except for csv.
func (f format) files(o Options) []filePart {
	if f.name == "csv" {
		return csvParts(o)
	}
	return []filePart{{f.ext, f.make(o)}}
}

// csvParts: in a folder, csv is two tables: <stem>.csv, the cookies (as
// csv on standard output, under the name it always had), and
// <stem>.findings.csv.
func csvParts(Options) []filePart {
	return []filePart{{"csv", csvWriter{}}, {"findings.csv", findingsCSVWriter{}}}
}

// findingsCSVWriter writes the open findings, then the baselined ones, one
// row each, for a tracker or a spreadsheet.
type findingsCSVWriter struct{}

var _ Writer = findingsCSVWriter{}

func findingsCSVHeader() []string {
	return []string{"severity", "rule_id", "rule", "cookie", "cookie_domain", "vendor", "state", "page",
		"message", "setter", "observed", "classification", "declared_as", "declared", "declared_where",
		"baselined", "fingerprint"}
}

func (findingsCSVWriter) Write(w io.Writer, s *result.Scan) error {
	v := newView(s)
	cw := csv.NewWriter(w)
	if err := cw.Write(findingsCSVHeader()); err != nil {
		return fmt.Errorf("findings csv report: %w", err)
	}
	write := func(fs []audit.Finding, baselined bool) error {
		for _, f := range fs {
			r, _ := audit.RuleByID(f.RuleID)
			var name, domain string
			if f.Cookie != nil {
				name, domain = f.Cookie.Name, f.Cookie.Domain
			}
			row := []string{f.Severity.String(), f.RuleID, r.Title, name, domain, f.Vendor, string(f.State), f.PageURL,
				f.Message, f.Evidence.Setter, f.Evidence.Observed, f.Evidence.Classification, f.Evidence.DeclaredAs,
				f.Evidence.Declared, f.Evidence.DeclaredWhere, yesNo(baselined), f.Fingerprint}
			for i := range row {
				row[i] = csvCell(row[i])
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		return nil
	}
	if err := write(v.findings, false); err != nil {
		return fmt.Errorf("findings csv report: %w", err)
	}
	if err := write(v.baselined, true); err != nil {
		return fmt.Errorf("findings csv report: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("findings csv report: %w", err)
	}
	return nil
}
