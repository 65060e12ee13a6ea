package consent

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// TCString is the decoded core segment of an IAB TCF v2 consent string.
type TCString struct {
	Version           int
	Created           time.Time
	LastUpdated       time.Time
	CMPID             int
	CMPVersion        int
	ConsentScreen     int
	ConsentLanguage   string
	VendorListVersion int
	PolicyVersion     int
	IsServiceSpecific bool
	SpecialFeatures   []int // opted-in special features, 1-based
	PurposeConsents   []int // consented purposes, 1-based
	PurposeLI         []int // purposes under legitimate interest, 1-based
	PurposeOneTreated bool
	PublisherCC       string
	VendorConsents    []int
	VendorLI          []int
}

// bitReader reads big-endian bit fields, as the TCF spec lays them out.
type bitReader struct {
	b   []byte
	pos int
	err error
}

func (r *bitReader) int(n int) int {
	if r.err != nil {
		return 0
	}
	if r.pos+n > len(r.b)*8 {
		r.err = fmt.Errorf("consent: tc string: need %d bits at bit %d, have %d: %w", n, r.pos, len(r.b)*8, ErrUndecodable)
		return 0
	}
	v := 0
	for i := 0; i < n; i++ {
		bit := (r.b[(r.pos+i)/8] >> (7 - uint((r.pos+i)%8))) & 1
		v = v<<1 | int(bit)
	}
	r.pos += n
	return v
}

func (r *bitReader) bool() bool { return r.int(1) == 1 }

// bits returns the 1-based positions of the set bits of an n-bit field.
func (r *bitReader) bits(n int) []int {
	out := []int{}
	for i := 1; i <= n; i++ {
		if r.bool() {
			out = append(out, i)
		}
	}
	return out
}

func (r *bitReader) letters() string {
	a, b := r.int(6), r.int(6)
	return string([]byte{byte('A' + a), byte('A' + b)})
}

// deciseconds converts the TCF time fields (tenths of a second since the epoch).
func deciseconds(v int) time.Time { return time.UnixMilli(int64(v) * 100).UTC() }

// vendors reads a vendor section: MaxVendorId, then a bitfield or ranges.
func (r *bitReader) vendors() []int {
	max := r.int(16)
	out := []int{}
	if r.bool() { // IsRangeEncoding
		n := r.int(12)
		for i := 0; i < n && r.err == nil; i++ {
			isRange := r.bool()
			start := r.int(16)
			end := start
			if isRange {
				end = r.int(16)
			}
			if end < start || end > max {
				r.err = fmt.Errorf("consent: tc string: vendor range %d-%d beyond max %d: %w", start, end, max, ErrUndecodable)
				return nil
			}
			for v := start; v <= end; v++ {
				out = append(out, v)
			}
		}
		return out
	}
	return r.bits(max)
}

// DecodeTCString decodes the core segment of a TCF v2 TC string (base64url,
// bit fields per the IAB "Consent string and vendor list formats v2").
// Other segments (disclosed vendors, publisher TC) are ignored.
func DecodeTCString(s string) (TCString, error) {
	core, _, _ := strings.Cut(strings.TrimSpace(s), ".")
	if core == "" {
		return TCString{}, fmt.Errorf("consent: tc string: empty: %w", ErrUndecodable)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(core, "="))
	if err != nil {
		return TCString{}, fmt.Errorf("consent: tc string: base64url: %v: %w", err, ErrUndecodable)
	}
	r := &bitReader{b: raw}
	var tc TCString
	tc.Version = r.int(6)
	if r.err == nil && tc.Version != 2 {
		return TCString{}, fmt.Errorf("consent: tc string: version %d, want 2: %w", tc.Version, ErrUndecodable)
	}
	tc.Created = deciseconds(r.int(36))
	tc.LastUpdated = deciseconds(r.int(36))
	tc.CMPID = r.int(12)
	tc.CMPVersion = r.int(12)
	tc.ConsentScreen = r.int(6)
	tc.ConsentLanguage = r.letters()
	tc.VendorListVersion = r.int(12)
	tc.PolicyVersion = r.int(6)
	tc.IsServiceSpecific = r.bool()
	r.bool() // UseNonStandardTexts
	tc.SpecialFeatures = r.bits(12)
	tc.PurposeConsents = r.bits(24)
	tc.PurposeLI = r.bits(24)
	tc.PurposeOneTreated = r.bool()
	tc.PublisherCC = r.letters()
	tc.VendorConsents = r.vendors()
	tc.VendorLI = r.vendors()
	if r.err != nil {
		return TCString{}, r.err
	}
	return tc, nil
}
