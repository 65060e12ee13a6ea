package declaration

import "testing"

// A provider named once for the cookies below it (rowspan), and a purpose
// cell spanning two columns (colspan): each row still gets every column.
func TestTableCellSpans(t *testing.T) {
	d := parseString(t, `<h2>Cookies</h2><table>
<tr><th>Provider</th><th>Cookie</th><th>Purpose</th><th>Expiry</th></tr>
<tr><td rowspan="3">shop.test</td><td>cart_id</td><td rowspan="2">Keeps the basket</td><td>Session</td></tr>
<tr><td>cart_ts</td><td>1 day</td></tr>
<tr><td>lang_pref</td><td colspan="2">Remembers the language for 1 year</td></tr>
<tr><td>Google</td><td>_ga</td><td>Distinguishes visitors</td><td>2 years</td></tr>
</table>`, "text/html")
	checkEntries(t, d, []string{
		"cart_id | shop.test |  | Session",
		"cart_ts | shop.test |  | 1 day",
		"lang_pref | shop.test |  | Remembers the language for 1 year",
		"_ga | Google |  | 2 years",
	})
}

// A Markdown page (static-site content) whose cookie table is HTML, and
// inline HTML in a Markdown table's cells: both read as a page shows them.
func TestHTMLInsideMarkdown(t *testing.T) {
	d := parseString(t, "## Our cookies\n\nThe cookies we set:\n\n<div class=\"table\">\n<table>\n"+
		"  <tr><th>Domain</th><th>Cookie</th><th>Expiry</th></tr>\n"+
		"  <tr><td rowspan=\"2\">shop.test</td><td>cart_id</td><td>Session</td></tr>\n"+
		"  <tr><td>cart_ts</td><td>1 day</td></tr>\n</table>\n</div>\n\n"+
		"## Third parties\n\n| Name | Provider | Expiry |\n|---|---|---|\n"+
		"| `_ga` | <a class=\"x\" href=\"https://policies.google.com/privacy\">Google</a> | 2 years<br/> |\n"+
		"| `_ga_<container-id>` | Google | 2 years |\n", "text/plain")
	checkEntries(t, d, []string{
		"cart_id | shop.test |  | Session",
		"cart_ts | shop.test |  | 1 day",
		"_ga | Google |  | 2 years",
		"_ga_<container-id> | Google |  | 2 years",
	})
}
