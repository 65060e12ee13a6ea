package crawler

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/neterr"
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
	kind cookie.ErrorKind
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
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(text, "ERR_TIMED_OUT") {
		return &pageError{cookie.FailTimeout, page + ": the page did not finish loading within --timeout"}
	}
	// Network failures, Chrome's and Go's alike, are explained with their fix.
	if e, ok := neterr.Explain(text); ok {
		return &pageError{e.Kind, page + ": " + e.What + " (" + e.Code + ")" + fixSuffix(e.Fix)}
	}
	switch {
	case strings.Contains(text, "ERR_ABORTED") && strings.Contains(text, "download"):
		return &pageError{cookie.FailDownload, page + ": the link starts a download, not a page"}
	case errors.Is(err, errTooManyRedirects) || strings.Contains(text, "too many redirects"):
		return &pageError{cookie.FailTooManyRedirect, fmt.Sprintf("%s: the page redirects more than %d times; not followed further", page, maxRedirects)}
	case errors.Is(err, errRedirectLoop) || strings.Contains(text, "ERR_TOO_MANY_REDIRECTS"):
		return &pageError{cookie.FailRedirectLoop, page + ": the page redirects in a loop"}
	case strings.Contains(text, "ERR_INVALID_URL"):
		return &pageError{cookie.FailInvalidURL, page + ": invalid URL"}
	case strings.Contains(text, "target crashed") || strings.Contains(text, "crash"):
		return &pageError{cookie.FailCrash, page + ": the browser tab crashed while loading the page"}
	}
	return &pageError{cookie.FailOther, page + ": " + text}
}

func fixSuffix(fix string) string {
	if fix == "" {
		return ""
	}
	return "; " + fix
}
