package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// ConsentTable writes `cookiescan consent`'s table: one row per state.
func ConsentTable(w io.Writer, c *result.ConsentCheck) error {
	var rows [][]string
	for _, s := range c.States {
		o := s.Outcome
		var buttons []string
		for _, b := range o.Buttons {
			buttons = append(buttons, b.Role+": "+b.Label)
		}
		platform := o.Platform
		if o.PlatformVersion != "" {
			platform += " " + o.PlatformVersion
		}
		verified := "no"
		switch {
		case o.Verified:
			verified = "yes"
		case o.Action != cookie.Before.Action():
			verified = "UNVERIFIED"
		}
		why := o.Verification
		if o.Error != "" {
			why += " (error: " + o.Error + ")"
		}
		if o.PayWall {
			why += " [consent-or-pay wall]"
		}
		rows = append(rows, []string{string(s.State), platform, yesNo(o.BannerFound), strings.Join(buttons, "; "), yesNo(o.RejectAtFirstLayer),
			strings.Join(o.Clicked, " → "), o.Method, verified, why})
	}
	return Table(w, []string{"State", "Platform", "Banner", "First layer", "Reject at 1st", "Clicked", "Method", "Verified", "Verification"}, rows)
}

// DeclarationTable writes `cookiescan declaration`'s output: the declared
// cookies, the vendors, and a few lines about the declaration.
func DeclarationTable(w io.Writer, d *cookie.Declaration) error {
	if _, err := fmt.Fprintf(w, "Declaration: %s\n", textsafe.Short(d.URL, maxURL)); err != nil {
		return err
	}
	if len(d.Cookies) > 0 {
		var rows [][]string
		for _, c := range d.Cookies {
			name := c.Name
			if c.Pattern {
				name += " (pattern)"
			}
			rows = append(rows, []string{textsafe.Short(name, maxName), c.Vendor, string(c.Category), textsafe.Short(c.Lifespan.Text, 50), c.Lifespan.String()})
		}
		if err := Table(w, []string{"Cookie", "Vendor", "Category", "Lifespan as written", "Lifespan"}, rows); err != nil {
			return err
		}
	}
	if len(d.Vendors) > 0 {
		var rows [][]string
		for _, v := range d.Vendors {
			rows = append(rows, []string{textsafe.Short(v.Name, maxName), string(v.Category)})
		}
		if err := Table(w, []string{"Vendor", "Category"}, rows); err != nil {
			return err
		}
	}
	cats := make([]string, 0, len(d.Categories))
	for _, c := range d.Categories {
		cats = append(cats, string(c))
	}
	reject := "not stated"
	if d.RejectOption != nil {
		reject = map[bool]string{true: "promised", false: "none (continued use counts as consent)"}[*d.RejectOption]
	}
	lines := []string{
		fmt.Sprintf("Cookies: %d, vendors: %d", len(d.Cookies), len(d.Vendors)),
		"Categories: " + strings.Join(cats, ", "),
		"Reject option: " + reject,
	}
	if d.ConsentLifespanDays > 0 {
		lines = append(lines, "Consent kept: "+cookie.FormatDays(d.ConsentLifespanDays))
	}
	if d.Platform != "" {
		lines = append(lines, "Consent platform: "+textsafe.Short(d.Platform, maxName))
	}
	for _, l := range d.Links {
		lines = append(lines, "Further declaration page: "+textsafe.Short(l, maxURL))
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}
