package cookie

import "testing"

func TestFormatDays(t *testing.T) {
	for days, want := range map[float64]string{
		0:             "1 minute",
		30.0 / 1440:   "30 minutes",
		1.0 / 24:      "1 hour",
		0.5:           "12 hours",
		1:             "1 day",
		182.5:         "183 days",
		400:           "400 days",
		59.6 / 1440.0: "1 hour",
	} {
		if got := FormatDays(days); got != want {
			t.Errorf("FormatDays(%v) = %q, want %q", days, got, want)
		}
	}
}
