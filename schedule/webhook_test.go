package schedule

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWebhookRetriesUntilTheServerRecovers(t *testing.T) {
	hooks := &hookLog{}
	hooks.fail.Store(2) // two 500s, then it works
	srv := httptest.NewServer(http.HandlerFunc(hooks.handler))
	defer srv.Close()
	w := Webhook{Attempts: 4, Backoff: time.Millisecond, UserAgent: "cookiescan/test"}
	if err := w.Post(context.Background(), srv.URL, Notification{Event: "findings-changed", Name: "a"}); err != nil {
		t.Fatalf("Post: %v", err)
	}
	got := hooks.notifications()
	if len(got) != 1 || got[0].Name != "a" {
		t.Errorf("server got %+v", got)
	}
	if hooks.fail.Load() != -1 {
		t.Errorf("server was asked %d times, want 3", 2-hooks.fail.Load()+1)
	}
}

func TestWebhookGivesUp(t *testing.T) {
	var calls atomic.Int32
	for _, c := range []struct {
		name      string
		status    int
		wantCalls int32
		want      string
	}{
		{"always 500", http.StatusInternalServerError, 3, "attempt 3 of 3: answered 500 Internal Server Error"},
		{"429 is retried", http.StatusTooManyRequests, 3, "attempt 3 of 3: answered 429"},
		{"400 is final", http.StatusBadRequest, 1, "attempt 1 of 3: answered 400 Bad Request: \"no such hook\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			calls.Store(0)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				http.Error(w, "no such hook", c.status)
			}))
			defer srv.Close()
			err := Webhook{Attempts: 3, Backoff: time.Millisecond}.Post(context.Background(), srv.URL, Notification{})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), srv.URL) {
				t.Errorf("error = %v, want it to contain %q and the URL", err, c.want)
			}
			if calls.Load() != c.wantCalls {
				t.Errorf("%d calls, want %d", calls.Load(), c.wantCalls)
			}
		})
	}
}

func TestWebhookTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	err := Webhook{Attempts: 2, Backoff: time.Millisecond, Timeout: 50 * time.Millisecond}.Post(context.Background(), srv.URL, Notification{})
	if err == nil || !strings.Contains(err.Error(), "attempt 2 of 2") || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Errorf("error = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("two 50ms attempts took %v", d)
	}
}

func TestWebhookStopsOnCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := Webhook{Attempts: 10, Backoff: time.Hour}.Post(ctx, srv.URL, Notification{})
	if err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Errorf("error = %v, want it to give up when the context ends", err)
	}
}
