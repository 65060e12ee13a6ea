package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes, documented in `cookiescan --help`.
const (
	exitOK       = 0 // the scan ran, no finding at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitFailure  = 2 // the scan itself could not run, or the command was used wrongly
)

// errFindings is returned by a command whose findings cross --fail-on.
var errFindings = errors.New("findings at or above the --fail-on threshold")

// exitError carries an exit code chosen by a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "cookiescan",
		Short: "Audit a website's cookies against its cookie declaration and the consent rules",
		Long: `cookiescan visits a website in a headless Chrome before consent, after accept-all and
after reject-all, records every cookie that the site and its third parties set, classifies
each one, reads the site's published cookie declaration and reports where they disagree.

Exit codes: 0 done (no finding at or above --fail-on), 1 findings at or above --fail-on,
2 the scan could not run or the command was used wrongly.`,
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
	return root
}

// run executes the command line and returns the exit code. Only main exits.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		if ee.code != exitFindings {
			fmt.Fprintln(stderr, "cookiescan:", ee.err)
		}
		return ee.code
	case errors.Is(err, errFindings):
		return exitFindings
	default:
		fmt.Fprintln(stderr, "cookiescan:", err)
		return exitFailure
	}
}
