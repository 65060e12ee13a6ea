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
