package reports

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	"github.com/cookiescan/cookiescan/result"
)

// ConsentTable writes `cookiescan consent`'s table: one row per state, in
// five columns that wrap within width (0: 100), so that it fits a terminal.
func ConsentTable(w io.Writer, c *result.ConsentCheck, width int) error {
	var rows [][]string
	for _, s := range c.States {
		o := s.Outcome
		platform := o.Platform
		if o.PlatformVersion != "" {
			platform += " " + o.PlatformVersion
		}
		banner := "none found"
		if o.BannerFound {
			var buttons []string
			for _, b := range o.Buttons {
				buttons = append(buttons, b.Role+" \""+b.Label+"\"")
			}
			banner = "reject on the first layer: " + yesNo(o.RejectAtFirstLayer)
			if len(buttons) > 0 {
				banner += "; offers " + strings.Join(buttons, ", ")
			}
		}
		clicked := strings.Join(o.Clicked, " → ")
		if clicked != "" && o.Method != "" {
			clicked += " (" + o.Method + ")"
		}
		verified := cmp.Or(o.Verdict(), "no")
		if o.Verification != "" {
			verified += ": " + o.Verification
		}
		if o.Error != "" {
			verified += " (error: " + o.Error + ")"
		}
		if o.PayWall {
			verified += " [consent-or-pay wall]"
		}
		rows = append(rows, []string{string(s.State), platform, banner, clicked, verified})
	}
	return WrappedTable(w, []string{"State", "Platform", "Banner", "Clicked", "Verified"}, rows, width)
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
