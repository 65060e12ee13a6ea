package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/diff"
	"github.com/cookiescan/cookiescan/store"
)

func newDiffCmd(stdout, stderr io.Writer) *cobra.Command {
	var db historyFlag
	var site, format string
	cmd := &cobra.Command{
		Use:   "diff [A] [B]",
		Short: "Show what changed between two stored scans of a site",
		Long: `Show what changed between two stored scans: cookies that appeared or vanished in each
consent state, cookies whose vendor, category or lifespan changed, new and resolved
findings, and changes to the cookie declaration.

With --site and no ids, the last two scans of the site are compared. With one id, that
scan is compared with the newest scan of its site. With two ids, A is compared with B.`,
		Example: `  cookiescan diff --site www.example.com
  cookiescan diff 12 --format html > changes.html
  cookiescan diff 12 15 --format json`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if !validDiffFormat(format) {
				return fmt.Errorf("--format %q: want one of %s", format, strings.Join(diff.Formats(), ", "))
			}
			if site != "" && len(args) > 0 {
				return errors.New("give scan ids or --site, not both")
			}
			if site == "" && len(args) == 0 {
				return errors.New("name the scans to compare: cookiescan diff A [B], or --site SITE for its last two scans")
			}
			s, err := openHistory(ctx, db)
			if err != nil {
				return err
			}
			defer s.Close()
			a, b, err := pickScans(ctx, s, site, args)
			if err != nil {
				return err
			}
			if store.SiteKey(a.Scan.Site) != store.SiteKey(b.Scan.Site) {
				fmt.Fprintf(stderr, "cookiescan: warning: comparing scans of different sites (%s and %s)\n", a.Scan.Site, b.Scan.Site)
			}
			r := diff.Diff(a.Scan, b.Scan)
			r.A.ID, r.B.ID = a.ID, b.ID
			if err := diff.Write(stdout, format, r); err != nil {
				return err
			}
			return nil
		},
	}
	db.add(cmd.Flags(), "the")
	cmd.Flags().StringVar(&site, "site", "", "compare the last two scans of this site")
	cmd.Flags().StringVar(&format, "format", "table", "output format: "+strings.Join(diff.Formats(), ", "))
	return cmd
}

func validDiffFormat(f string) bool {
	for _, known := range diff.Formats() {
		if f == known {
			return true
		}
	}
	return false
}

// pickScans resolves the command's arguments to the older and newer scan.
func pickScans(ctx context.Context, s *store.Store, site string, args []string) (a, b store.Stored, err error) {
	load := func(arg string) (store.Stored, error) {
		id, err := parseScanID(arg)
		if err != nil {
			return store.Stored{}, err
		}
		sc, err := s.Load(ctx, id)
		if err != nil {
			return store.Stored{}, err
		}
		return store.Stored{ID: id, Scan: sc}, nil
	}
	switch len(args) {
	case 2:
		if a, err = load(args[0]); err != nil {
			return a, b, err
		}
		b, err = load(args[1])
		return a, b, err
	case 1:
		if a, err = load(args[0]); err != nil {
			return a, b, err
		}
		latest, err := s.Latest(ctx, a.Scan.Site, 1)
		if err != nil {
			return a, b, err
		}
		if len(latest) == 0 || latest[0].ID == a.ID {
			return a, b, fmt.Errorf("scan %d is the newest scan of %s; give a second scan id to compare with", a.ID, a.Scan.Site)
		}
		return a, latest[0], nil
	}
	latest, err := s.Latest(ctx, site, 2)
	if err != nil {
		return a, b, err
	}
	switch len(latest) {
	case 0:
		return a, b, noScans(ctx, s, site)
	case 1:
		return a, b, fmt.Errorf("%s has only one stored scan (id %d); a diff needs two", site, latest[0].ID)
	}
	return latest[1], latest[0], nil
}
