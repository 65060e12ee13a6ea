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

	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/store"
)

// dbFlagHelp documents --db once for every command that reads or writes the history.
const dbFlagHelp = "history database file (default $XDG_DATA_HOME/cookiescan/history.db, else ~/.local/share/cookiescan/history.db; on macOS and Windows the user config folder)"

// historyPath returns the --db value or the default location.
func historyPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	p, err := store.DefaultPath()
	if err != nil {
		return "", &exitError{code: exitFailure, err: err}
	}
	return p, nil
}

// openHistory opens an existing history database. Commands that only read
// refuse to create one: a mistyped --db would otherwise show an empty
// history instead of an error.
func openHistory(ctx context.Context, flag string) (*store.Store, error) {
	path, err := historyPath(flag)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, &exitError{code: exitFailure, err: fmt.Errorf("no history database at %s: nothing has been stored there yet (scheduled scans store theirs; pass --db FILE for another database)", path)}
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		return nil, &exitError{code: exitFailure, err: err}
	}
	return s, nil
}

// noScans explains an empty history and lists the sites that do have scans.
func noScans(ctx context.Context, s *store.Store, site string) error {
	sites, err := s.Sites(ctx)
	if err != nil {
		return &exitError{code: exitFailure, err: err}
	}
	msg := fmt.Sprintf("no stored scans of %s in %s", site, s.Path())
	if len(sites) > 0 {
		msg += "; sites with scans: " + strings.Join(sites, ", ")
	}
	return &exitError{code: exitFailure, err: errors.New(msg)}
}

func newHistoryCmd(stdout, stderr io.Writer) *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{
		Use:   "history SITE",
		Short: "List the stored scans of a site: id, date, pages, cookies and findings by severity",
		Example: `  cookiescan history www.example.com
  cookiescan history https://www.example.com/ --db ./history.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := openHistory(ctx, dbPath)
			if err != nil {
				return err
			}
			defer s.Close()
			sums, err := s.Scans(ctx, args[0])
			if err != nil {
				return &exitError{code: exitFailure, err: err}
			}
			if len(sums) == 0 {
				return noScans(ctx, s, args[0])
			}
			return writeHistory(stdout, sums)
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", "", dbFlagHelp)
	return cmd
}

// writeHistory prints one row per scan, oldest first, with a column per
// severity from critical down so the worst is read first.
func writeHistory(w io.Writer, sums []store.Summary) error {
	t := tablewriter.NewTable(w)
	t.Header("ID", "Date UTC", "Pages", "Cookies", "Critical", "High", "Medium", "Low", "Info")
	for _, s := range sums {
		row := []string{strconv.FormatInt(s.ID, 10), s.StartedAt.UTC().Format("2006-01-02 15:04"),
			strconv.Itoa(s.Pages), strconv.Itoa(s.Cookies)}
		for _, sev := range []audit.Severity{audit.Critical, audit.High, audit.Medium, audit.Low, audit.Info} {
			row = append(row, strconv.Itoa(s.Findings[sev]))
		}
		if err := t.Append(row); err != nil {
			return fmt.Errorf("history table: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("history table: %w", err)
	}
	return nil
}
