package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/reports"
	"github.com/cookiescan/cookiescan/store"
)

// openHistory opens an existing history database read-only: commands that
// only read create nothing (a mistyped --db would otherwise show an empty
// history instead of an error), switch no journal mode and run no
// migration, so a history on a read-only file or folder can be read. Only a
// history at an older schema is opened writable, to be upgraded.
func openHistory(ctx context.Context, f historyFlag) (*store.Store, error) {
	path, err := f.resolve()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); !store.IsURL(path) && errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no history database at %s: nothing has been stored there yet (scheduled scans store theirs; pass --db FILE for another database)", path)
	}
	s, err := store.OpenReadOnly(ctx, path)
	if errors.Is(err, store.ErrOlderSchema) {
		// A history from an older cookiescan is upgraded where it can be
		// written, as a scan saving to it would; a read-only one says how.
		if ws, werr := store.Open(ctx, path); werr == nil {
			return ws, nil
		}
	}
	return s, err
}

// noScans explains an empty history and lists the sites that do have scans.
func noScans(ctx context.Context, s *store.Store, site string) error {
	sites, err := s.Sites(ctx)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("no stored scans of %s in %s", site, s.Path())
	if len(sites) > 0 {
		msg += "; sites with scans: " + strings.Join(sites, ", ")
	}
	return errors.New(msg)
}

func newHistoryCmd(stdout, stderr io.Writer) *cobra.Command {
	var db historyFlag
	var format string
	cmd := &cobra.Command{
		Use:   "history [SITE]",
		Short: "List the sites in the history, or the stored scans of one site with their findings by severity",
		Long: `Without SITE, history lists the sites that have stored scans: how many, and when the
last one ran. With SITE, it lists that site's scans, oldest first: id, date, pages, cookies
and findings by severity. Give an id to "cookiescan show" or two to "cookiescan diff".`,
		Example: `  cookiescan history
  cookiescan history www.example.com
  cookiescan history https://www.example.com/ --db ./history.db --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkTextFormat(format); err != nil {
				return &usageError{err}
			}
			ctx := cmd.Context()
			s, err := openHistory(ctx, db)
			if err != nil {
				return err
			}
			defer s.Close()
			if len(args) == 0 {
				sites, err := siteSummaries(ctx, s)
				if err != nil {
					return err
				}
				return writeTextOrJSON(stdout, format, sites, func(w io.Writer) error { return writeSites(w, sites, s.Path()) })
			}
			sums, err := s.Scans(ctx, args[0])
			if err != nil {
				return err
			}
			if len(sums) == 0 {
				return noScans(ctx, s, args[0])
			}
			return writeTextOrJSON(stdout, format, sums, func(w io.Writer) error { return writeHistory(w, sums) })
		},
	}
	db.add(cmd.Flags(), "the")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// siteSummary is one site of the history.
type siteSummary struct {
	Site     string    `json:"site"`
	Scans    int       `json:"scans"`
	LastID   int64     `json:"last_scan_id"`
	LastScan time.Time `json:"last_scan_at"`
}

func siteSummaries(ctx context.Context, s *store.Store) ([]siteSummary, error) {
	sites, err := s.Sites(ctx)
	if err != nil {
		return nil, err
	}
	out := []siteSummary{}
	for _, site := range sites {
		sums, err := s.Scans(ctx, site)
		if err != nil {
			return nil, err
		}
		if len(sums) == 0 {
			continue
		}
		last := sums[len(sums)-1]
		out = append(out, siteSummary{Site: site, Scans: len(sums), LastID: last.ID, LastScan: last.StartedAt.UTC()})
	}
	return out, nil
}

func writeSites(w io.Writer, sites []siteSummary, path string) error {
	if len(sites) == 0 {
		_, err := fmt.Fprintf(w, "No scans stored in %s yet.\n", path)
		return err
	}
	var rows [][]string
	for _, s := range sites {
		rows = append(rows, []string{s.Site, strconv.Itoa(s.Scans), strconv.FormatInt(s.LastID, 10), s.LastScan.Format("2006-01-02 15:04")})
	}
	if err := reports.Table(w, []string{"Site", "Scans", "Last ID", "Last scan UTC"}, rows); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

// writeHistory prints one row per scan, oldest first, with a column per
// severity from critical down so the worst is read first.
func writeHistory(w io.Writer, sums []store.Summary) error {
	var rows [][]string
	for _, s := range sums {
		row := []string{strconv.FormatInt(s.ID, 10), s.StartedAt.UTC().Format("2006-01-02 15:04"),
			strconv.Itoa(s.Pages), strconv.Itoa(s.Cookies)}
		for _, sev := range []audit.Severity{audit.Critical, audit.High, audit.Medium, audit.Low, audit.Info} {
			row = append(row, strconv.Itoa(s.Findings[sev]))
		}
		rows = append(rows, row)
	}
	if err := reports.Table(w, []string{"ID", "Date UTC", "Pages", "Cookies", "Critical", "High", "Medium", "Low", "Info"}, rows); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}
