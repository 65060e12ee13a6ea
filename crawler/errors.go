package crawler

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrNoPages means not one page of the site could be loaded in any state.
var ErrNoPages = errors.New("no page of the site could be loaded")

// Redirect failures of discovery's HTTP client, told apart as Chrome's
// single ERR_TOO_MANY_REDIRECTS cannot.
var (
	errRedirectLoop     = errors.New("redirect loop")
	errTooManyRedirects = errors.New("too many redirects")
)

// pageError is a page failure with a stable kind and a message a user can act on.
type pageError struct {
	kind string
	msg  string
}

func (e *pageError) Error() string { return e.msg }

// classify turns a navigation error into a kind and a clear message.
func classify(page string, err error) *pageError {
	var pe *pageError
	if errors.As(err, &pe) {
		return pe
	}
	text := err.Error()
	switch {
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(text, "ERR_TIMED_OUT") || strings.Contains(text, "ERR_CONNECTION_TIMED_OUT"):
		return &pageError{"timeout", page + ": the page did not finish loading within --timeout"}
	case strings.Contains(text, "ERR_NAME_NOT_RESOLVED") || strings.Contains(text, "no such host"):
		return &pageError{"dns", page + ": unknown host: the name does not resolve (check the URL, or map it with --connect-to)"}
	case strings.Contains(text, "ERR_CONNECTION_REFUSED") || strings.Contains(text, "connection refused"):
		return &pageError{"refused", page + ": connection refused: nothing listens at that address"}
	case strings.Contains(text, "ERR_CERT_") || strings.Contains(text, "x509:") || strings.Contains(text, "certificate"):
		return &pageError{"tls", page + ": the TLS certificate is not trusted (" + firstNetError(text) + "); pass -k/--insecure to scan anyway"}
	case strings.Contains(text, "ERR_ABORTED") && strings.Contains(text, "download"):
		return &pageError{"download", page + ": the link starts a download, not a page"}
	case errors.Is(err, errTooManyRedirects) || strings.Contains(text, "too many redirects"):
		return &pageError{"too-many-redirects", fmt.Sprintf("%s: the page redirects more than %d times; not followed further", page, maxRedirects)}
	case errors.Is(err, errRedirectLoop) || strings.Contains(text, "ERR_TOO_MANY_REDIRECTS"):
		return &pageError{"redirect-loop", page + ": the page redirects in a loop"}
	case strings.Contains(text, "ERR_INVALID_URL"):
		return &pageError{"invalid-url", page + ": invalid URL"}
	case strings.Contains(text, "target crashed") || strings.Contains(text, "crash"):
		return &pageError{"crash", page + ": the browser tab crashed while loading the page"}
	}
	return &pageError{"other", page + ": " + text}
}

func firstNetError(text string) string {
	if i := strings.Index(text, "net::ERR_"); i >= 0 {
		end := strings.IndexAny(text[i:], " \n)")
		if end < 0 {
			return text[i:]
		}
		return text[i : i+end]
	}
	if i := strings.Index(text, "x509:"); i >= 0 {
		return text[i:]
	}
	return "certificate error"
}
