package reports

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"

	"github.com/cookiescan/cookiescan/audit"
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

type htmlFinding struct {
	audit.Finding
	Title, Subject string
}

type htmlCookie struct {
	Name, Value, Domain, Vendor, Category, Lifespan, Declared, Setter string
	Party                                                             cookie.Party
}

type htmlState struct {
	State      cookie.State
	Consent    string
	Unverified bool
	Screenshot template.URL
	Cookies    []htmlCookie
}

type htmlPage struct {
	CSP                                             string
	CSS                                             template.CSS
	Site, Tool, Started, Finished, DeclarationError string
	Pages, Baselined                                int
	Declaration                                     *cookie.Declaration
	Counts                                          []string
	Findings                                        []htmlFinding
	States                                          []htmlState
	Failed                                          []cookie.PageVisit
}

func (htmlWriter) Write(w io.Writer, s *result.Scan) error {
	css, err := htmlFiles.ReadFile("html/style.css")
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	tmpl, err := template.New("report.gohtml").Funcs(template.FuncMap{"short": textsafe.Short}).ParseFS(htmlFiles, "html/report.gohtml")
	if err != nil {
		return fmt.Errorf("html report: %w", err)
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
		Counts:           v.severityCounts(),
		Failed:           v.failed,
	}
	for _, f := range v.findings {
		r, _ := audit.RuleByID(f.RuleID)
		page.Findings = append(page.Findings, htmlFinding{Finding: f, Title: r.Title, Subject: subject(f)})
	}
	for _, st := range v.states {
		hs := htmlState{State: st.State, Consent: consentText(st), Screenshot: pngDataURI(st.Consent.ScreenshotPNG),
			Unverified: st.State != cookie.Before && st.Consent.Action != "none" && !st.Consent.Verified}
		for _, c := range st.Cookies {
			hs.Cookies = append(hs.Cookies, htmlCookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Vendor: c.Label.Vendor,
				Category: category(c), Lifespan: c.LifespanText(), Declared: v.declared(c), Setter: c.SetBy.URL, Party: c.Party})
		}
		page.States = append(page.States, hs)
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
