package cookie

// ErrorKind is a stable token for why a page failed, or why discovery left
// it out on purpose: reports, tests and users' scripts key on it, and the
// message beside it (PageVisit.Error) says the same in words.
type ErrorKind string

// Why a page failed: the network (as internal/neterr explains Chrome's and
// Go's errors), the page's answer, or the browser.
const (
	FailUnsafePort      ErrorKind = "unsafe-port"
	FailDNS             ErrorKind = "dns"
	FailRefused         ErrorKind = "refused"
	FailNoTLS           ErrorKind = "no-tls"
	FailTLS             ErrorKind = "tls"
	FailTimeout         ErrorKind = "timeout"
	FailReset           ErrorKind = "reset"
	FailUnreachable     ErrorKind = "unreachable"
	FailProxy           ErrorKind = "proxy"
	FailInvalidAddress  ErrorKind = "invalid-address"
	FailBlocked         ErrorKind = "blocked"
	FailBadResponse     ErrorKind = "bad-response"
	FailHTTPStatus      ErrorKind = "http-status"
	FailOffSiteRedirect ErrorKind = "off-site-redirect"
	FailRedirectLoop    ErrorKind = "redirect-loop"
	FailTooManyRedirect ErrorKind = "too-many-redirects"
	FailDownload        ErrorKind = "download"
	FailInvalidURL      ErrorKind = "invalid-url"
	FailCrash           ErrorKind = "crash"
	FailCancelled       ErrorKind = "cancelled"
	FailOther           ErrorKind = "other"
)

// Why discovery left a page out on purpose; see PageVisit.Skipped.
const (
	SkipRobots  ErrorKind = "robots"
	SkipNotHTML ErrorKind = "not-html"
)
