package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// PDFPage is what a printer puts around the report: the paper and the
// header of every page. Site is text from the website; the printer escapes
// it.
type PDFPage struct {
	Paper      string // "a4" or "letter"
	Site, Date string
}

// PrintFunc prints a self-contained HTML page to PDF. The scan's own
// headless Chrome provides it (scan.PDFPrinter), so reports never starts
// a browser itself.
type PrintFunc func(html []byte, p PDFPage) ([]byte, error)

// ErrNoPrinter is returned by the pdf format when no browser was given to
// print with.
var ErrNoPrinter = errors.New("the pdf format needs a browser to print with: ask for it with scan or demo (or convert the html report)")

// pdfWriter prints the HTML report, with every folded section open, through
// the browser.
type pdfWriter struct {
	print PrintFunc
	paper string
}

var _ Writer = pdfWriter{}

func (p pdfWriter) Write(w io.Writer, s *result.Scan) error {
	if p.print == nil {
		return ErrNoPrinter
	}
	page, err := htmlPageOf(s)
	if err != nil {
		return err
	}
	page.Print = true
	var doc bytes.Buffer
	if err := renderHTML(&doc, page); err != nil {
		return err
	}
	pdf, err := p.print(doc.Bytes(), PDFPage{Paper: p.paper, Site: textsafe.Short(s.Site, maxURL),
		Date: s.StartedAt.UTC().Format("2006-01-02 15:04 UTC")})
	if err != nil {
		return fmt.Errorf("pdf report: %w", err)
	}
	if _, err := w.Write(pdf); err != nil {
		return fmt.Errorf("pdf report: %w", err)
	}
	return nil
}
