package crawler

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Bounds on what discovery reads of one response, after decompression: a
// page's links, robots.txt (Google reads the first 500 KiB) and a sitemap
// (the protocol's 50 MB maximum).
const (
	maxPageBody    = 5 << 20
	maxRobotsBody  = 500 << 10
	maxSitemapBody = 50 << 20
)

// boundedTransport decompresses gzip bodies itself and cuts every body at a
// limit counted after decompression, so that a gzip bomb costs no more than
// an honest body of the limit's size. A cut is reported through cut, once
// per URL; it is never silent.
type boundedTransport struct {
	base  http.RoundTripper
	limit func(*http.Request) int64
	cut   func(url string, limit int64)
}

func (t *boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	// Asking for gzip ourselves turns off the transport's own transparent
	// decompression, which has no bound.
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	var body io.Reader = resp.Body
	gz := strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip")
	if !gz && resp.Header.Get("Content-Encoding") == "" {
		// A .xml.gz sitemap is gzip without saying so in Content-Encoding.
		br := bufio.NewReader(resp.Body)
		if magic, perr := br.Peek(2); perr == nil && magic[0] == 0x1f && magic[1] == 0x8b {
			gz = true
		}
		body = br
	}
	if gz {
		zr, zerr := gzip.NewReader(body)
		if zerr != nil {
			resp.Body.Close()
			return nil, fmt.Errorf("%s: invalid gzip body: %w", req.URL, zerr)
		}
		body = zr
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
	}
	// colly must not decompress a second time.
	resp.Uncompressed = true
	limit := t.limit(req)
	resp.Body = &boundedBody{r: body, closer: resp.Body, left: limit, onCut: func() {
		if t.cut != nil {
			t.cut(req.URL.String(), limit)
		}
	}}
	return resp, nil
}

// boundedBody ends a body at its limit and reports that it did, when more
// was left to read.
type boundedBody struct {
	r      io.Reader
	closer io.Closer
	left   int64
	onCut  func()
	cut    bool
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		if !b.cut {
			// One byte more tells a body of exactly the limit from a longer one.
			var one [1]byte
			if n, _ := io.ReadFull(b.r, one[:]); n > 0 {
				b.cut = true
				b.onCut()
			}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedBody) Close() error { return b.closer.Close() }

// warnings collects a scan's warnings once each, in order.
type warnings struct {
	mu   sync.Mutex
	seen map[string]bool
	list []string
}

func (w *warnings) add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	if w.seen[msg] {
		return
	}
	w.seen[msg] = true
	w.list = append(w.list, msg)
}

func (w *warnings) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.list...)
}

// sizeMiB writes a byte count for a warning.
func sizeMiB(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
