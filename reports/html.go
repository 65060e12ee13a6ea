package reports

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

//go:embed html/report.gohtml html/style.css
var htmlFiles embed.FS

// htmlWriter renders one self-contained page: no script, no external asset,
// screenshots inlined as data: URIs, and a Content-Security-Policy that lets
// nothing run even if escaping ever failed.
type htmlWriter struct{}

var _ Writer = htmlWriter{}

// maxScreenshot bounds an inlined banner screenshot.
const maxScreenshot = 4 << 20

type htmlState struct {
	State      cookie.State
	Consent    string
	Unverified bool
	// Caption says what was clicked, how, and whether the stored consent
	// confirmed it; Shot is the viewport when the choice was made, with
	// the clicked element outlined, and After the viewport after it.
	Caption     []string
	Shot, After template.URL
	// Before is the state before consent: nothing was clicked.
	Before  bool
	Cookies int
}

type htmlPage struct {
	CSP                                             string
	CSS                                             template.CSS
	Site, Tool, Started, Finished, DeclarationError string
	Pages, Baselined                                int
	Declaration                                     *cookie.Declaration
	Summary                                         summary
	States                                          []htmlState
	Matrix                                          []matrixRow
	Vendors                                         []vendorRow
	Groups                                          []findingGroup
	Details                                         []stateDetail
	Failed                                          []cookie.PageVisit
	Warnings                                        []string
	// Print opens every folded section, for the PDF.
	Print bool
}

func (htmlWriter) Write(w io.Writer, s *result.Scan) error {
	page, err := htmlPageOf(s)
	if err != nil {
		return err
	}
	return renderHTML(w, page)
}

func htmlPageOf(s *result.Scan) (htmlPage, error) {
	css, err := htmlFiles.ReadFile("html/style.css")
	if err != nil {
		return htmlPage{}, fmt.Errorf("html report: %w", err)
	}
	sum := sha256.Sum256(css)
	v := newView(s)
	page := htmlPage{
		// The style is allowed by its hash, so no inline style or script
		// from anywhere else can apply.
		CSP: "default-src 'none'; img-src data:; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
			"'; base-uri 'none'; form-action 'none'",
		CSS:  template.CSS(css), // our own embedded file, not site data
		Site: s.Site, Tool: s.ToolVersion,
		Started:          s.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"),
		Finished:         s.FinishedAt.UTC().Format("2006-01-02 15:04:05 UTC"),
		DeclarationError: s.DeclarationError,
		Pages:            len(s.Observation.Pages),
		Baselined:        len(v.baselined),
		Declaration:      s.Declaration,
		Summary:          v.summary(),
		Matrix:           v.matrix(),
		Vendors:          v.vendors(),
		Groups:           v.groups(),
		Details:          v.stateDetails(),
		Failed:           v.failed,
		Warnings:         s.Warnings,
	}
	for _, st := range v.states {
		page.States = append(page.States, htmlState{
			State: st.State, Consent: consentText(st), Caption: consentCaption(st), Cookies: len(st.Cookies),
			Before: st.State == cookie.Before || st.Consent.Action == "none",
			Shot:   pngDataURI(st.Consent.ScreenshotPNG), After: pngDataURI(st.Consent.AfterScreenshotPNG),
			Unverified: st.State != cookie.Before && st.Consent.Action != "none" && !st.Consent.Verified,
		})
	}
	return page, nil
}

func renderHTML(w io.Writer, page htmlPage) error {
	tmpl, err := template.New("report.gohtml").Funcs(template.FuncMap{
		"short": textsafe.Short, "breakable": breakable, "join": func(ss []string, n int) string { return textsafe.Short(strings.Join(ss, ", "), n) },
	}).ParseFS(htmlFiles, "html/report.gohtml")
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}

// pngDataURI inlines a screenshot. Only bytes that start with the PNG
// signature are inlined, so the data: URI, which the template trusts, can
// only ever hold base64 of an image.
func pngDataURI(png []byte) template.URL {
	if len(png) == 0 || len(png) > maxScreenshot || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

// breakable cleans and bounds a domain or URL and lets it wrap only after a
// dot or a slash, never mid-word. The text is escaped before the <wbr>
// tags are added, and escaping never makes a dot or a slash.
func breakable(s string, n int) template.HTML {
	e := template.HTMLEscapeString(textsafe.Short(s, n))
	return template.HTML(strings.NewReplacer(".", ".<wbr>", "/", "/<wbr>", "?", "?<wbr>", "&amp;", "&amp;<wbr>").Replace(e))
}
