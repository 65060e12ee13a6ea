package cookie

import "time"

// PageVisit is one page loaded in one consent state. A page that failed keeps
// its error; the rest of the scan goes on.
type PageVisit struct {
	URL      string `json:"url"`
	FinalURL string `json:"final_url,omitempty"`
	Status   int    `json:"status,omitempty"`
	// Error names the cause in words a user can act on; empty when the page loaded.
	Error string `json:"error,omitempty"`
	// ErrorKind is a stable token for the cause (see the Fail… and Skip…
	// constants).
	ErrorKind  ErrorKind `json:"error_kind,omitempty"`
	DurationMS int64     `json:"duration_ms"`
	// Dialogs lists JavaScript dialogs the page opened; they are dismissed.
	Dialogs []string `json:"dialogs,omitempty"`
}

// Failed reports whether the page could not be scanned. A page skipped on
// purpose (robots.txt, not HTML) is not a failure; see Skipped.
func (p PageVisit) Failed() bool { return p.Error != "" && !p.Skipped() }

// Skipped reports whether discovery left the page out on purpose.
func (p PageVisit) Skipped() bool { return p.ErrorKind == SkipRobots || p.ErrorKind == SkipNotHTML }

// ConsentButton is one button of a consent banner.
type ConsentButton struct {
	Label string `json:"label"`
	// Role is what the button does: "accept", "reject", "settings", "save", "other".
	Role string `json:"role"`
}

// TCFState is the IAB TCF consent state read from __tcfapi.
type TCFState struct {
	CMPID           int    `json:"cmp_id"`
	CMPVersion      int    `json:"cmp_version,omitempty"`
	TCString        string `json:"tc_string,omitempty"`
	PurposeConsents []int  `json:"purpose_consents"`
	VendorConsents  []int  `json:"vendor_consents"`
	GDPRApplies     bool   `json:"gdpr_applies"`
}

// ConsentModeSignal is a Google Consent Mode parameter seen on a Google request.
type ConsentModeSignal struct {
	Param string `json:"param"` // gcs or gcd
	Value string `json:"value"`
	URL   string `json:"url"`
}

// ConsentOutcome is what happened to the consent banner in one state.
type ConsentOutcome struct {
	// Action is what was asked of the banner: "none" in the before state,
	// "accept" or "reject" in the others.
	Action          string          `json:"action"`
	Platform        string          `json:"platform,omitempty"`
	PlatformVersion string          `json:"platform_version,omitempty"`
	BannerFound     bool            `json:"banner_found"`
	Buttons         []ConsentButton `json:"buttons,omitempty"` // first layer
	// RejectAtFirstLayer is true when the first layer offers a reject choice.
	RejectAtFirstLayer bool `json:"reject_at_first_layer"`
	// Clicked lists the labels (or selectors) clicked, in order.
	Clicked []string `json:"clicked,omitempty"`
	// Method is how the click was done: "mouse", "dom", "api", "selector".
	Method string `json:"method,omitempty"`
	// Verified is true when the platform's stored consent (or its JS API)
	// shows the choice took.
	Verified     bool   `json:"verified"`
	Verification string `json:"verification,omitempty"`
	// VerificationState is "verified", "contradicted" (the platform's own
	// record shows the opposite choice) or "unverified" (Verification says
	// why); empty in the before state.
	VerificationState string `json:"verification_state,omitempty"`
	// VerificationSource names the record the verdict was read from, e.g.
	// "cookie __cmpconsentx12345 (TC string)", "__tcfapi", "Osano.cm".
	VerificationSource string `json:"verification_source,omitempty"`
	// Warning flags what a reader should know, e.g. a consent script that
	// is present while no banner appeared (a banner hiding from automation).
	Warning string `json:"warning,omitempty"`
	// PayWall is true for a consent-or-pay wall (recorded, never paid).
	PayWall       bool   `json:"pay_wall,omitempty"`
	ScreenshotPNG []byte `json:"screenshot_png,omitempty"`
	// AfterScreenshotPNG is the viewport once the choice was made.
	AfterScreenshotPNG []byte              `json:"after_screenshot_png,omitempty"`
	TCF                *TCFState           `json:"tcf,omitempty"`
	ConsentMode        []ConsentModeSignal `json:"consent_mode,omitempty"`
	Error              string              `json:"error,omitempty"`
}

// StateObservation is everything seen in one consent state but its
// cookies, which are in the scan's inventory (each with the states that saw
// it, see Observed.Seen).
type StateObservation struct {
	State    State           `json:"state"`
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished"`
	Pages    []PageVisit     `json:"pages"`
	Consent  ConsentOutcome  `json:"consent"`
	Blocked  []BlockedCookie `json:"blocked,omitempty"`
	Requests []Request       `json:"requests,omitempty"`
	Storage  []StorageItem   `json:"storage,omitempty"`
	// Warnings name what the page's behaviour made the crawler leave out or
	// cut (hook traffic over its bound, say); the capture is otherwise whole.
	Warnings []string `json:"warnings,omitempty"`
}

// Observation is what the crawler saw of one site in all consent states.
type Observation struct {
	// Site is the start URL.
	Site string `json:"site"`
	// SiteDomain is the registrable domain that decides first and third party.
	SiteDomain string `json:"site_domain"`
	Browser    string `json:"browser,omitempty"`
	// Pages are the pages discovered and visited, in visiting order.
	Pages []string `json:"pages"`
	// DiscoveryErrors are pages that discovery could not fetch.
	DiscoveryErrors []PageVisit        `json:"discovery_errors,omitempty"`
	States          []StateObservation `json:"states"`
	// ThirdPartyCookiesBlocked records the browser setting used.
	ThirdPartyCookiesBlocked bool `json:"third_party_cookies_blocked"`
	// Warnings name each limit that cut what discovery read (a body over its
	// bound, a sitemap too long), so nothing is left out silently.
	Warnings []string `json:"warnings,omitempty"`
}

// AllWarnings returns the observation's warnings and those of its states,
// each state's prefixed with its name.
func (o *Observation) AllWarnings() []string {
	out := append([]string(nil), o.Warnings...)
	for _, st := range o.States {
		for _, w := range st.Warnings {
			out = append(out, string(st.State)+" state: "+w)
		}
	}
	return out
}

// State returns the observation of state s, or nil.
func (o *Observation) State(s State) *StateObservation {
	for i := range o.States {
		if o.States[i].State == s {
			return &o.States[i]
		}
	}
	return nil
}

// Verdict says in one word how a consent choice stands against the
// platform's own record, the same in every report: "verified",
// "CONTRADICTED" (the record shows the opposite choice), "UNVERIFIED", or ""
// when nothing was asked of the banner (the before state).
func (o ConsentOutcome) Verdict() string {
	switch {
	case o.Action == "" || o.Action == Before.Action():
		return ""
	case o.VerificationState == "contradicted":
		return "CONTRADICTED"
	case o.Verified:
		return "verified"
	}
	return "UNVERIFIED"
}
