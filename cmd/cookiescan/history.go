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
	cmd := &cobra.Command{
		Use:   "history SITE",
		Short: "List the stored scans of a site: id, date, pages, cookies and findings by severity",
		Example: `  cookiescan history www.example.com
  cookiescan history https://www.example.com/ --db ./history.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := openHistory(ctx, db)
			if err != nil {
				return err
			}
			defer s.Close()
			sums, err := s.Scans(ctx, args[0])
			if err != nil {
				return err
			}
			if len(sums) == 0 {
				return noScans(ctx, s, args[0])
			}
			return writeHistory(stdout, sums)
		},
	}
	db.add(cmd.Flags(), "the")
	return cmd
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
