package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cookiescan/cookiescan/classifier"
	"github.com/cookiescan/cookiescan/cookie"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
	"github.com/cookiescan/cookiescan/reports"
)

// dbFlags are the flags that choose the known-cookie database; `scan` can
// share them through addDBFlags and options.
type dbFlags struct {
	files    []string
	offline  bool
	cacheDir string
}

func addDBFlags(fs *pflag.FlagSet, f *dbFlags) {
	fs.StringArrayVar(&f.files, "cookie-db", nil,
		"known-cookie file in the Open Cookie Database CSV layout; its entries win over the built-in ones (repeatable; a later file wins)")
	fs.BoolVar(&f.offline, "offline-db", false,
		"do not use the Open Cookie Database and host list that \"cookiescan db update\" downloads (the built-in database only)")
	fs.StringVar(&f.cacheDir, "db-cache-dir", "",
		"folder of the downloaded databases (default: the user cache folder + /cookiescan)")
}

func (f dbFlags) options() knowncookies.OpenOptions {
	return knowncookies.OpenOptions{UserFiles: f.files, Offline: f.offline, CacheDir: f.cacheDir}
}

type lookupOptions struct {
	db     dbFlags
	domain string
	site   string
	format string
}

func newLookupCmd(stdout, stderr io.Writer) *cobra.Command {
	var o lookupOptions
	cmd := &cobra.Command{
		Use: "lookup NAME",
		Example: `  cookiescan lookup _ga
  cookiescan lookup IDE --domain .doubleclick.net --site www.example.com
  cookiescan lookup _hjSessionUser_123 --format json`,
		Short: "Show what the known-cookie database and the classifier say of a cookie name",
		Long: `lookup classifies one cookie name as a scan would: the known-cookie database (your
--cookie-db files, then the built-in database, then the Open Cookie Database downloaded by
"cookiescan db update"), then the host → vendor map for --domain, then the heuristics. It
prints the vendor, category, confidence and the reason.

Give --domain for a cookie of a third party (".doubleclick.net"), and --site for the site it
was seen on, so that first and third party are told apart.

Exit codes: 0 done (also when the answer is "unclassified"), 2 the command was used wrongly
or a database file could not be read.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLookup(cmd, args[0], o, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.domain, "domain", "", "the cookie's domain, such as .youtube.com")
	f.StringVar(&o.site, "site", "", "the site the cookie was seen on (URL or domain), to decide first or third party")
	f.StringVar(&o.format, "format", "table", "output format: table or json")
	addDBFlags(f, &o.db)
	return cmd
}

// lookupResult is the JSON form of `cookiescan lookup`.
type lookupResult struct {
	Name   string               `json:"name"`
	Domain string               `json:"domain,omitempty"`
	Party  cookie.Party         `json:"party,omitempty"`
	Label  cookie.Label         `json:"label"`
	Match  *lookupMatch         `json:"match,omitempty"`
	Vendor *knowncookies.Vendor `json:"vendor,omitempty"`
}

type lookupMatch struct {
	Kind  knowncookies.MatchKind `json:"kind"`
	Entry *knowncookies.Entry    `json:"entry"`
}

func runLookup(cmd *cobra.Command, name string, o lookupOptions, stdout io.Writer) error {
	if err := checkTextFormat(o.format); err != nil {
		return err
	}
	db, err := knowncookies.Open(cmd.Context(), o.db.options())
	if err != nil {
		return err
	}
	c, err := classifier.New(classifier.Options{DB: db, SiteDomain: o.site})
	if err != nil {
		return err
	}
	obs := cookie.Observed{Name: name, Domain: o.domain}
	res := lookupResult{Name: name, Domain: o.domain, Party: c.Party(obs), Label: c.Classify(obs)}
	if m, ok := db.Lookup(name, o.domain); ok {
		res.Match = &lookupMatch{Kind: m.Kind, Entry: m.Entry}
	}
	if v, ok := db.VendorByAlias(res.Label.Vendor); ok && res.Label.Vendor != "" {
		res.Vendor = v
	}
	if err := writeTextOrJSON(stdout, o.format, res, func(w io.Writer) error { return writeLookupTable(w, res) }); err != nil {
		return fmt.Errorf("write lookup: %w", err)
	}
	return nil
}

func writeLookupTable(w io.Writer, r lookupResult) error {
	rows := [][2]string{
		{"Cookie", r.Name},
		{"Domain", r.Domain},
		{"Party", string(r.Party)},
		{"Vendor", r.Label.Vendor},
		{"Category", string(r.Label.Category)},
		{"Confidence", string(r.Label.Confidence)},
		{"Probability", probability(r.Label.Probability)},
		{"Reason", r.Label.Reason},
		{"Source", r.Label.Source},
	}
	if m := r.Match; m != nil {
		e := m.Entry
		rows = append(rows,
			[2]string{"Entry", e.Pattern() + " (" + string(m.Kind) + ", " + e.Where() + ")"},
			[2]string{"Entry domain", e.Domain},
			[2]string{"Entry category", e.RawCategory},
		)
	}
	rows = append(rows,
		[2]string{"Description", r.Label.Description},
		[2]string{"Retention", r.Label.Retention},
		[2]string{"Privacy", r.Label.PrivacyURL},
	)
	if v := r.Vendor; v != nil {
		rows = append(rows,
			[2]string{"Vendor company", v.Company},
			[2]string{"Vendor category", string(v.Category)},
			[2]string{"Vendor aliases", strings.Join(v.Aliases, ", ")},
			[2]string{"Vendor hosts", strconv.Itoa(len(v.Hosts))},
		)
	}
	var cells [][]string
	for _, row := range rows {
		if row[1] != "" {
			cells = append(cells, []string{row[0], row[1]})
		}
	}
	return reports.Table(w, []string{"Field", "Value"}, cells)
}

// probability prints a label's probability as a percentage; empty when the
// label has none (a run without the model).
func probability(p float64) string {
	if p <= 0 {
		return ""
	}
	return strconv.FormatFloat(100*p, 'f', 0, 64) + "%"
}
