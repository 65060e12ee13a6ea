package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/internal/neterr"
	"github.com/cookiescan/cookiescan/internal/textsafe"
	knowncookies "github.com/cookiescan/cookiescan/knownCookies"
	"github.com/cookiescan/cookiescan/reports"
)

func newDBCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Manage the known-cookie database",
		Long: `db manages the known-cookie database that classifies cookies.

Scans use, from strongest to weakest: the files given with --cookie-db (a later file wins),
the database built into cookiescan, and the Open Cookie Database that "db update" downloads
into the user cache folder (left out with --offline-db). The built-in database wins over the
download because it is reviewed with each release; the download fills its gaps.`,
	}
	cmd.AddCommand(newDBUpdateCmd(stdout, stderr), newDBStatsCmd(stdout, stderr))
	return cmd
}

func newDBUpdateCmd(stdout, stderr io.Writer) *cobra.Command {
	var o knowncookies.UpdateOptions
	cmd := &cobra.Command{
		Use: "update",
		Example: `  cookiescan db update
  cookiescan db update --db-cache-dir ./cookie-db`,
		Short: "Download the current Open Cookie Database and third-party host list",
		Long: `update downloads the Open Cookie Database CSV (cookie names) and the third-party-web
entities (request hosts → vendors) into the user cache folder. Each file replaces the old one
only once it is complete and parses, so an interrupted download keeps the old file.

Exit codes: 0 updated, 2 a download failed (the old files are kept).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := knowncookies.Update(cmd.Context(), o)
			for _, f := range files {
				fmt.Fprintf(stdout, "%s: %d entries, %d bytes from %s\n", f.Path, f.Entries, f.Bytes, f.URL)
				if f.Malformed != nil {
					fmt.Fprintf(stderr, "warning: %v\n", f.Malformed)
				}
			}
			if err != nil {
				return dbUpdateFailed(err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.CookieDBURL, "cookie-db-url", knowncookies.DefaultCookieDBURL, `URL of the Open Cookie Database CSV ("-" skips it)`)
	f.StringVar(&o.EntitiesURL, "entities-url", knowncookies.DefaultEntitiesURL, `URL of the third-party-web entities JSON ("-" skips it)`)
	f.StringVar(&o.CacheDir, "db-cache-dir", "", "folder to download into (default: the user cache folder + /cookiescan)")
	return cmd
}

type dbStatsOptions struct {
	db     dbFlags
	format string
}

// dbStats is the JSON form of `cookiescan db stats`.
type dbStats struct {
	Layers     []knowncookies.LayerStats `json:"layers"`
	Vendors    int                       `json:"vendors"`
	Hosts      int                       `json:"hosts"`
	Duplicates []knowncookies.Duplicate  `json:"duplicates"`
	Warnings   []string                  `json:"warnings"`
}

func newDBStatsCmd(stdout, stderr io.Writer) *cobra.Command {
	var o dbStatsOptions
	cmd := &cobra.Command{
		Use: "stats",
		Example: `  cookiescan db stats
  cookiescan db stats --cookie-db my-cookies.csv --format json`,
		Short: "Show what the known-cookie database holds",
		Long: `stats lists the layers of the known-cookie database a scan would use with the same flags,
their entry counts, the vendors and hosts, names a file lists twice, and problems found.

Exit codes: 0 done, 2 a database file could not be read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextFormat(o.format); err != nil {
				return err
			}
			db, err := knowncookies.Open(cmd.Context(), o.db.options())
			if err != nil {
				return err
			}
			s := dbStats{Layers: db.Layers(), Vendors: len(db.Vendors()), Hosts: db.HostCount(), Duplicates: db.Duplicates(), Warnings: []string{}}
			for _, w := range db.Warnings() {
				s.Warnings = append(s.Warnings, w.Error())
			}
			if s.Duplicates == nil {
				s.Duplicates = []knowncookies.Duplicate{}
			}
			if err := writeTextOrJSON(stdout, o.format, s, func(w io.Writer) error { return writeDBStats(w, s) }); err != nil {
				return fmt.Errorf("write stats: %w", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "table", "output format: table or json")
	addDBFlags(f, &o.db)
	return cmd
}

func writeDBStats(w io.Writer, s dbStats) error {
	if _, err := fmt.Fprintln(w, "Layers, strongest first:"); err != nil {
		return err
	}
	var rows [][]string
	for _, l := range s.Layers {
		rows = append(rows, []string{l.Source, strconv.Itoa(l.Entries), strconv.Itoa(l.Wildcards)})
	}
	if err := reports.Table(w, []string{"Layer", "Entries", "Prefixes"}, rows); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "Vendors: %d, hosts: %d\n", s.Vendors, s.Hosts); err != nil {
		return err
	}
	if len(s.Duplicates) > 0 {
		rows = nil
		for _, d := range s.Duplicates {
			lines := make([]string, len(d.Lines))
			for i, l := range d.Lines {
				lines[i] = strconv.Itoa(l)
			}
			cats := strings.Join(d.Categories, ", ")
			if d.Conflicting {
				cats += " (conflict: the first row wins)"
			}
			rows = append(rows, []string{d.Name, d.Source, strings.Join(lines, ", "), cats})
		}
		if err := reports.Table(w, []string{"Listed twice", "Source", "Lines", "Categories"}, rows); err != nil {
			return err
		}
	}
	for _, warn := range s.Warnings {
		if _, err := fmt.Fprintln(w, "Warning: "+textsafe.Short(warn, 400)); err != nil {
			return err
		}
	}
	return nil
}

// dbUpdateFailed says what a failed download means for scans: nothing is
// lost, the built-in database (and any earlier download) is still used.
func dbUpdateFailed(err error) error {
	why := err.Error()
	if e, ok := neterr.Explain(why); ok {
		why = e.What + " (" + e.Code + ")"
		if slices.Contains([]cookie.ErrorKind{cookie.FailDNS, cookie.FailUnreachable, cookie.FailRefused, cookie.FailTimeout, cookie.FailProxy}, e.Kind) {
			why = "no connection to the download site: " + why
		}
	}
	return fmt.Errorf("db update: %s.\nScans still classify cookies with the database built into cookiescan, and with an earlier download if there is one (see: cookiescan db stats); nothing was changed.\nDetails: %w", why, err)
}
