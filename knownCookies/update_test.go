package knowncookies

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeUpstream builds a CSV and an entities JSON big enough to pass the
// minimum-size check.
func fakeUpstream(tag string) (csvBody, jsonBody string) {
	var b strings.Builder
	b.WriteString(header)
	for i := range minDownloadEntries + 5 {
		fmt.Fprintf(&b, "%d,%s,Analytics,%s_cookie_%d,,,,,,0\n", i, tag, tag, i)
	}
	var j strings.Builder
	j.WriteString("[")
	for i := range minDownloadEntries + 5 {
		if i > 0 {
			j.WriteString(",")
		}
		fmt.Fprintf(&j, `{"name":"%s entity %d","category":"ad","domains":["*.%s%d.example"]}`, tag, i, tag, i)
	}
	j.WriteString("]")
	return b.String(), j.String()
}

func TestUpdate(t *testing.T) {
	good, goodJSON := fakeUpstream("fresh")
	mode := "good"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := good
		if strings.HasSuffix(r.URL.Path, ".json") {
			body = goodJSON
		}
		switch mode {
		case "500":
			http.Error(w, "upstream broke", http.StatusInternalServerError)
		case "cut":
			// Promise the whole body, send half, and hang up.
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, body[:len(body)/2])
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		case "html":
			fmt.Fprint(w, "<html><body>Rate limited</body></html>")
		default:
			fmt.Fprint(w, body)
		}
	}))
	defer srv.Close()

	cache := t.TempDir()
	opts := UpdateOptions{CacheDir: cache, CookieDBURL: srv.URL + "/ocd.csv", EntitiesURL: srv.URL + "/entities.json", HTTPClient: srv.Client()}
	csvPath, jsonPath := filepath.Join(cache, CookieDBFile), filepath.Join(cache, EntitiesFile)

	files, err := Update(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Entries != minDownloadEntries+5 || files[1].Entries != minDownloadEntries+5 {
		t.Fatalf("files = %+v", files)
	}
	before, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	beforeJSON, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}

	// Later scans use the download.
	db, err := Open(t.Context(), OpenOptions{CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := db.Lookup("fresh_cookie_3", ""); !ok || m.Entry.Source != SourceOpenCookie {
		t.Errorf("downloaded entry not found: %+v", m)
	}
	if v, _, ok := db.VendorByHost("a.fresh7.example"); !ok || v.Name != "fresh entity 7" {
		t.Errorf("downloaded host not found: %v", v)
	}

	for _, tc := range []struct{ mode, want string }{
		{"500", "500"},
		{"cut", "body"},
		{"html", "rejected, old file kept"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			mode = tc.mode
			_, err := Update(t.Context(), opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Update = %v, want an error containing %q", err, tc.want)
			}
			after, _ := os.ReadFile(csvPath)
			if string(after) != string(before) {
				t.Error("the old database was changed by a failed download")
			}
			afterJSON, _ := os.ReadFile(jsonPath)
			if string(afterJSON) != string(beforeJSON) {
				t.Error("the old entities were changed")
			}
			left, _ := filepath.Glob(filepath.Join(cache, ".*.tmp"))
			if len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}
