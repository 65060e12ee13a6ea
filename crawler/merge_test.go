package crawler

import (
	"testing"
	"time"

	"github.com/cookiescan/cookiescan/cookie"
)

// The first page and setter follow the plan's order, whatever order the
// tabs recorded the writes in; deletions and refused lines set nothing.
func TestAttributeByPlanOrder(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	w := func(page, url, line string, sec int) setterEvent {
		return setterEvent{name: "id", domain: "www.example.test", kind: cookie.SetByScript, url: url, line: line,
			origin: "https://www.example.test" + page, page: "https://www.example.test" + page, at: at.Add(time.Duration(sec) * time.Second)}
	}
	rank := newPlanRank([]string{"https://www.example.test/", "https://www.example.test/a/", "https://www.example.test/b/", "https://www.example.test/c/"})
	refused := w("/", "https://t.test/x.js", "id=0", 0)
	refused.refused = true
	// As two tabs would hand them over: /b/ (set first in time) before /a/.
	recs := []tabRecording{
		{setters: []setterEvent{refused, w("/b/", "https://t.test/b.js", "id=2; Max-Age=60", 1)}},
		{setters: []setterEvent{
			w("/a/", "https://t.test/a1.js", "id=1; Max-Age=60", 2),
			w("/a/", "https://t.test/a2.js", "id=1; Max-Age=60", 3),
			w("/c/", "https://t.test/del.js", "id=; Max-Age=0", 4),
		}},
	}
	m := mergeRecordings(recs, rank)
	all := func(string) bool { return true }
	a, ok := attribute(m.setters, "id", ".example.test", all)
	if !ok || a.page != "https://www.example.test/a/" || a.setter.URL != "https://t.test/a2.js" || !a.setAt.Equal(at.Add(4*time.Second)) {
		t.Errorf("attribution = %+v %v; want /a/, its last write a2.js, and the latest write's time", a, ok)
	}
	// The jar did not hold it after /a/ (deleted at once), but after /b/.
	a, _ = attribute(m.setters, "id", ".example.test", func(p string) bool { return p == "https://www.example.test/b/" })
	if a.page != "https://www.example.test/b/" || a.setter.URL != "https://t.test/b.js" {
		t.Errorf("attribution = %+v; want /b/, the first page after which the jar held it", a)
	}
	if _, ok := attribute(m.setters, "other", ".example.test", all); ok {
		t.Error("a cookie never written was attributed")
	}
}
