package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/cookiescan/cookiescan/audit"
)

// Webhook says how notifications are delivered. Zero fields take the defaults.
type Webhook struct {
	// Attempts is how many times a notification is tried; 4 by default.
	Attempts int
	// Backoff is the wait before the second attempt; it doubles after each
	// failure up to one minute. 2s by default.
	Backoff time.Duration
	// Timeout bounds each attempt; 10s by default.
	Timeout time.Duration
	// Client sends the requests; http.DefaultClient's transport by default.
	Client *http.Client
	// UserAgent is sent with each request.
	UserAgent string
}

func (w Webhook) withDefaults() Webhook {
	if w.Attempts <= 0 {
		w.Attempts = 4
	}
	if w.Backoff <= 0 {
		w.Backoff = 2 * time.Second
	}
	if w.Timeout <= 0 {
		w.Timeout = 10 * time.Second
	}
	if w.Client == nil {
		w.Client = &http.Client{}
	}
	if w.UserAgent == "" {
		w.UserAgent = "cookiescan"
	}
	return w
}

// Notification is the JSON body POSTed when a site's findings change.
type Notification struct {
	// Event is always "findings-changed".
	Event          string          `json:"event"`
	Site           string          `json:"site"`
	Name           string          `json:"name"`
	ScanID         int64           `json:"scan_id"`
	PreviousScanID int64           `json:"previous_scan_id,omitempty"`
	ScannedAt      time.Time       `json:"scanned_at"`
	NewFindings    []audit.Finding `json:"new_findings"`
	Resolved       []audit.Finding `json:"resolved_findings"`
	// Findings counts the scan's findings by severity name.
	Findings map[string]int `json:"findings"`
	// Failed is true when the scan crossed the site's fail thresholds.
	Failed bool `json:"failed"`
}

// Post sends payload as JSON to url, retrying with exponential backoff on
// network errors, timeouts, 408, 425, 429 and 5xx answers. Any other answer
// outside 2xx is final: sending the same body again would not change it.
func (w Webhook) Post(ctx context.Context, url string, payload any) error {
	w = w.withDefaults()
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("webhook %s: encode: %w", url, err)
	}
	wait := w.Backoff
	var last error
	for attempt := 1; attempt <= w.Attempts; attempt++ {
		retry, err := w.once(ctx, url, body)
		if err == nil {
			return nil
		}
		last = fmt.Errorf("attempt %d of %d: %w", attempt, w.Attempts, err)
		if !retry || attempt == w.Attempts {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("webhook %s: %w (gave up: %w)", url, last, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, time.Minute)
	}
	return fmt.Errorf("webhook %s: %w", url, last)
}

// once makes one attempt and says whether a failure is worth retrying.
func (w Webhook) once(ctx context.Context, url string, body []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", w.UserAgent)
	resp, err := w.Client.Do(req)
	if err != nil {
		return true, err
	}
	defer resp.Body.Close()
	// Read a little of the answer so the connection can be reused and an
	// error can quote what the receiver said.
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	err = fmt.Errorf("answered %s: %q", resp.Status, bytes.TrimSpace(snippet))
	switch {
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusRequestTimeout,
		resp.StatusCode == http.StatusTooEarly, resp.StatusCode == http.StatusTooManyRequests:
		return true, err
	}
	return false, err
}
