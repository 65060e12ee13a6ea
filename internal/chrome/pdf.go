package chrome

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Paper sizes in inches, as Page.printToPDF takes them.
var papers = map[string][2]float64{"a4": {8.27, 11.69}, "letter": {8.5, 11}}

// Papers lists the paper names PrintPDF knows.
func Papers() []string { return []string{"a4", "letter"} }

// PDFOptions shape a printed page.
type PDFOptions struct {
	// Paper is "a4" (the default) or "letter".
	Paper string
	// HeaderLeft and HeaderRight are plain text for the top of every page
	// (the site and the date); they are escaped here.
	HeaderLeft, HeaderRight string
}

// PrintPDF loads a self-contained HTML document into a fresh browser
// context of b and prints it: the header on every page, page numbers in
// the footer, backgrounds kept. The document is set as the content of an
// about:blank tab, so it needs no file and no server.
func (b *Browser) PrintPDF(ctx context.Context, doc []byte, o PDFOptions) ([]byte, error) {
	size, ok := papers[strings.ToLower(o.Paper)]
	if o.Paper == "" {
		size, ok = papers["a4"]
	}
	if !ok {
		return nil, fmt.Errorf("unknown paper %q (valid: %s)", o.Paper, strings.Join(Papers(), ", "))
	}
	tab, cancel := b.NewContext()
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		return nil, fmt.Errorf("print PDF: %w", err)
	}
	tree, err := chromedp.Call(tab, page.GetFrameTree, cdp.Empty{})
	if err == nil {
		_, err = chromedp.Call(tab, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(doc)})
	}
	if err == nil {
		// Wait until every inlined screenshot is decoded, or it prints blank.
		_, err = chromedp.Run(tab, chromedp.Evaluate[bool](
			`Promise.all([...document.images].map(i => i.decode().catch(() => null))).then(() => true)`, chromedp.EvalAwaitPromise))
	}
	var res page.PrintToPDFResult
	if err == nil {
		yes := true
		top, bottom, side := 0.7, 0.6, 0.5
		res, err = chromedp.Call(tab, page.PrintToPDF, page.PrintToPDFParams{
			PaperWidth: size[0], PaperHeight: size[1],
			MarginTop: &top, MarginBottom: &bottom, MarginLeft: &side, MarginRight: &side,
			PrintBackground: &yes, DisplayHeaderFooter: &yes,
			HeaderTemplate: headerTemplate(o.HeaderLeft, o.HeaderRight), FooterTemplate: footerTemplate,
		})
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("print PDF: %w", ctx.Err())
		}
		return nil, fmt.Errorf("print PDF: %w", err)
	}
	return res.Data, nil
}

// The header and footer are rendered by Chrome outside the document, so
// they carry their own (inline) style; their font size must be set or it
// is zero.
const hfStyle = `font:9px system-ui,sans-serif;color:#555;width:100%;margin:0 0.5in;display:flex;justify-content:space-between`

func headerTemplate(left, right string) string {
	return `<div style="` + hfStyle + `"><span>` + html.EscapeString(left) + `</span><span>` + html.EscapeString(right) + `</span></div>`
}

const footerTemplate = `<div style="` + hfStyle + `"><span>cookiescan report</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
