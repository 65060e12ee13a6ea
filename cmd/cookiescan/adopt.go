package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cookiescan/cookiescan/config"
	"github.com/cookiescan/cookiescan/internal/termout"
	"github.com/cookiescan/cookiescan/reports"
)

// siteCommands take the site they work on as their first argument, so the
// configuration file's per-site section applies to them.
var siteCommands = []string{"scan", "consent", "declaration"}

// usageError is a command used wrongly: a bad flag value, a missing or
// extra argument, a file or folder that cannot be used. run prints the
// command's usage line after it and exits 2, before any browser starts.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }

// setUp adds what every command shares: the configuration file and
// COOKIESCAN_* variables for every flag, `config` and `version`, and
// argument and flag errors that say what is expected.
func setUp(root *cobra.Command, stdout io.Writer) {
	cfg := config.Bind(root, config.Options{})
	root.AddCommand(cfg.Command(stdout), newVersionCmd(stdout))
	root.Version = versionString()
	root.SetVersionTemplate("cookiescan {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		var ive *pflag.InvalidValueError
		if errors.As(err, &ive) {
			return usagef("--%s %q: want %s", ive.GetFlag().Name, ive.GetValue(), config.ValueHint(ive.GetFlag()))
		}
		return &usageError{err}
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, name := range siteCommands {
			if c.Parent() == root && c.Name() == name {
				if c.Annotations == nil {
					c.Annotations = map[string]string{}
				}
				c.Annotations[config.SiteArgAnnotation] = ""
			}
		}
		if c.Args != nil {
			c.Args = explainArgs(c.Args)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// explainArgs rewords cobra's "accepts 1 arg(s), received 0" as what the
// command wants, taken from its Use line.
func explainArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			want := strings.TrimSpace(strings.TrimPrefix(cmd.Use, cmd.Name()))
			name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
			switch {
			case want == "":
				return usagef("%s takes no arguments, got %q", name, strings.Join(args, " "))
			case len(args) == 0:
				return usagef("%s: missing %s", name, want)
			default:
				return usagef("%s: want %s, got %d arguments: %q", name, want, len(args), strings.Join(args, " "))
			}
		}
		return nil
	}
}

// printUsageError writes a usage error and the command's usage line.
func printUsageError(w io.Writer, cmd *cobra.Command, err error) bool {
	var ue *usageError
	if !errors.As(err, &ue) {
		return false
	}
	fmt.Fprintln(w, "cookiescan:", err)
	if cmd != nil {
		fmt.Fprintf(w, "Usage: %s\nRun '%s --help' for the flags and examples.\n", cmd.UseLine(), cmd.CommandPath())
	}
	return true
}

// tableLook sizes the table format to the terminal it is printed on (unless
// --width says otherwise) and colours it there, unless NO_COLOR is set.
func tableLook(stdout io.Writer, width int) reports.Options {
	look := termout.Detect(stdout, os.Getenv)
	if width <= 0 {
		width = look.Width
	}
	return reports.Options{Width: width, Color: look.Color}
}
