package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/scan"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// errFindings is returned by a command whose findings cross --fail-on (or a
// schedule's fail_on); it is the only error that exits 1.
var errFindings = errors.New("findings at or above the --fail-on threshold")

// errHistory is returned when a finished scan could not be saved in the
// history; its reports were written before.
var errHistory = errors.New("the scan's reports were written, but it was not saved in the history")

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "cookiescan",
		Short: "Audit a website's cookies against its cookie declaration and the consent rules",
		Long: `cookiescan visits a website in a headless Chrome before consent, after accept-all and
after reject-all, records every cookie that the site and its third parties set, classifies
each one, reads the site's published cookie declaration and reports where they disagree.

Exit codes: 0 done (no finding at or above --fail-on), 1 findings at or above --fail-on,
2 the scan could not run or the command was used wrongly, or the history (--db) could not be
written: a file that is not a cookiescan history, or one written by a newer cookiescan (the
reports are written before the history, so they are kept).

Environment:
  COOKIESCAN_DB         the history database when --db is not given (a file or postgres://…)
  JOB_COMPLETION_INDEX  the shard index of "schedule --shard /N" (a Kubernetes Indexed Job sets it)
  XDG_DATA_HOME         where the default history database lives`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	// Each command lives in its own file; add new ones here.
	root.AddCommand(
		newLookupCmd(stdout, stderr), newDBCmd(stdout, stderr), newClassifyCmd(stdout, stderr),
		newScanCmd(stdout, stderr),
		newDemoCmd(stdout, stderr),
		newConsentCmd(stdout, stderr),
		newDeclarationCmd(stdout, stderr),
		newHistoryCmd(stdout, stderr), newShowCmd(stdout, stderr), newDiffCmd(stdout, stderr), newScheduleCmd(stdout, stderr),
	)
	setUp(root, stdout)
	return root
}

// run executes the command line and returns the exit code. Only main exits,
// and this is the one place that maps errors to exit codes.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	switch {
	case err == nil || errors.Is(err, errFindings):
	case printUsageError(stderr, cmd, err):
	default:
		fmt.Fprintln(stderr, "cookiescan:", err)
	}
	return exitCode(err)
}

// exitCode maps a command's error to the process exit code.
func exitCode(err error) int {
	switch {
	case err == nil:
		return int(scan.ExitOK)
	case errors.Is(err, errFindings):
		return int(scan.ExitFindings)
	default:
		return int(scan.ExitFailure)
	}
}
