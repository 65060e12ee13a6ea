package config

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// SiteArgAnnotation marks a command whose first argument is the site it
// works on (scan URL, consent URL), so the file's site section applies.
const SiteArgAnnotation = "cookiescan/site-arg"

// ReferenceCommand is the command whose flags the environment and the file
// describe; another command's flag of the same name but another type (a
// different meaning) takes nothing from them.
const ReferenceCommand = "scan"

// Binder ties a cobra command tree to the environment and the file.
type Binder struct {
	root       *cobra.Command
	getenv     Getenv
	dir        string
	configPath string

	// Set by Resolve for the command being run.
	File     *File
	Settings []Setting
	Site     string
}

// Options are the binder's outside world; the zero value is the real one.
type Options struct {
	Getenv Getenv // default os.LookupEnv
	Dir    string // folder searched for FileName; default the working folder
}

// Bind adds --config to root and, before any command runs, fills every flag
// the command line left unset from COOKIESCAN_* variables and the file. It
// keeps a PersistentPreRunE root already has, running it afterwards.
func Bind(root *cobra.Command, opts Options) *Binder {
	b := &Binder{root: root, getenv: opts.Getenv, dir: opts.Dir}
	if b.getenv == nil {
		b.getenv = os.LookupEnv
	}
	root.PersistentFlags().StringVar(&b.configPath, "config", "",
		"configuration file (default: "+FileName+" in the working folder, when present; env "+EnvName("config")+")")
	root.Long = strings.TrimRight(root.Long, "\n") + "\n\n" +
		"Every flag can also be set with an environment variable, " + EnvPrefix + "<FLAG> (upper case, - as _:\n" +
		EnvName("max-pages") + "=20), or in " + FileName + "; a flag on the command line wins over the\n" +
		"environment, which wins over the file. `cookiescan config show` prints what applies."
	prev := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if err := b.Resolve(cmd, args); err != nil {
			return err
		}
		ctx := cmd.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		cmd.SetContext(context.WithValue(ctx, binderKey{}, b))
		if prev != nil {
			return prev(cmd, args)
		}
		return nil
	}
	return b
}

// Resolve loads the file and applies it and the environment to cmd's flags.
func (b *Binder) Resolve(cmd *cobra.Command, args []string) error {
	path := b.configPath
	if path == "" {
		path, _ = b.getenv(EnvName("config"))
	}
	dir := b.dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	file, err := Load(path, dir)
	if err != nil {
		return err
	}
	if err := b.checkKeys(file); err != nil {
		return err
	}
	site := ""
	if _, ok := cmd.Annotations[SiteArgAnnotation]; ok && len(args) > 0 {
		site = args[0]
	}
	var ref *pflag.FlagSet
	if c, _, err := b.root.Find([]string{ReferenceCommand}); err == nil && c != b.root {
		ref = c.Flags()
	}
	settings, err := Apply(cmd.Flags(), b.getenv, file, site, ref)
	if err != nil {
		return err
	}
	b.File, b.Settings, b.Site = file, settings, site
	return nil
}

type binderKey struct{}

// IgnoreRules returns the ignore rules that apply to the command running
// with ctx (the context cobra hands to its RunE), or none.
func IgnoreRules(ctx context.Context) []IgnoreRule {
	if b, ok := ctx.Value(binderKey{}).(*Binder); ok {
		return b.Ignore()
	}
	return nil
}

// Ignore returns the ignore rules that apply to the resolved command: the
// file's, then its site section's.
func (b *Binder) Ignore() []IgnoreRule {
	if b.File == nil {
		return nil
	}
	rules := slices.Clone(b.File.Ignore)
	if s, ok := b.File.Site(b.Site); ok {
		rules = append(rules, s.Ignore...)
	}
	return rules
}

// checkKeys rejects a file key that is no flag of any command: a typo
// would otherwise be silently ignored.
func (b *Binder) checkKeys(f *File) error {
	known := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{c.LocalFlags(), c.PersistentFlags(), c.InheritedFlags()} {
			fs.VisitAll(func(fl *pflag.Flag) { known[fl.Name] = true })
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(b.root)
	for _, k := range unbound {
		delete(known, k)
	}
	check := func(flags map[string]Value, where string) error {
		keys := make([]string, 0, len(flags))
		for k := range flags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !known[k] {
				return fmt.Errorf("config %s:%d: %s%q is not a flag of any command (keys are flag names without --, or ignore and sites)",
					f.Path, flags[k].Line, where, k)
			}
		}
		return nil
	}
	if err := check(f.Flags, ""); err != nil {
		return err
	}
	for _, s := range f.Sites {
		if err := check(s.Flags, "sites: "+s.Key+": "); err != nil {
			return err
		}
	}
	return nil
}

// Command is `cookiescan config` with its `show` subcommand.
func (b *Binder) Command(stdout io.Writer) *cobra.Command {
	cfg := &cobra.Command{
		Use:   "config",
		Short: "Show the settings a command would use and where each comes from",
	}
	var format string
	show := &cobra.Command{
		Use:   "show [--format table|json] [COMMAND [ARGS…] [FLAGS…]]",
		Short: "Print every flag's value for a command (default: scan) and its source: flag, env, site, file or default",
		Long: `Prints the value each flag of COMMAND would have, and where it comes from, in the order
cookiescan applies them: a flag on the command line, then a ` + EnvPrefix + `* environment variable,
then the file's section for the site, then the file (` + FileName + ` in the working folder, or --config),
then the flag's default. Give the command's arguments and flags as you would to run it.`,
		Example: `  cookiescan config show
  cookiescan config show scan https://www.example.com --max-pages 3
  COOKIESCAN_FAIL_ON=high cookiescan config show --format json scan https://www.example.com`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			args, format = takeFormat(args)
			if format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			if len(args) == 0 || strings.HasPrefix(args[0], "-") {
				args = append([]string{"scan"}, args...)
			}
			target, rest, err := b.root.Find(args)
			if err != nil {
				return err
			}
			if err := target.ParseFlags(rest); err != nil {
				return fmt.Errorf("%s: %w", target.CommandPath(), err)
			}
			if err := b.Resolve(target, target.Flags().Args()); err != nil {
				return err
			}
			return b.write(stdout, target, format)
		},
	}
	cfg.AddCommand(show)
	return cfg
}

// takeFormat pulls this command's own --format out of the arguments when it
// comes first, before the command being shown: config show --format json scan …
func takeFormat(args []string) ([]string, string) {
	format := "table"
	for len(args) > 0 {
		switch {
		case args[0] == "--format" && len(args) > 1:
			format, args = args[1], args[2:]
		case strings.HasPrefix(args[0], "--format="):
			format, args = strings.TrimPrefix(args[0], "--format="), args[1:]
		default:
			return args, format
		}
	}
	return args, format
}

type showDoc struct {
	Command  string       `json:"command"`
	File     string       `json:"file,omitempty"`
	Site     string       `json:"site,omitempty"`
	Settings []Setting    `json:"settings"`
	Ignore   []ignoreJSON `json:"ignore"`
}

type ignoreJSON struct {
	Match   string   `json:"match"`
	Rules   []string `json:"rules,omitempty"`
	Reason  string   `json:"reason"`
	Expires string   `json:"expires,omitempty"`
}

func (b *Binder) write(w io.Writer, cmd *cobra.Command, format string) error {
	doc := showDoc{Command: cmd.CommandPath(), Site: b.Site, Settings: b.Settings, Ignore: []ignoreJSON{}}
	if b.File != nil {
		doc.File = b.File.Path
	}
	for _, r := range b.Ignore() {
		doc.Ignore = append(doc.Ignore, ignoreJSON{Match: r.what(), Rules: r.Rules, Reason: r.Reason, Expires: r.Expires})
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}
	file := doc.File
	if file == "" {
		file = "none (no " + FileName + " in the working folder)"
	}
	fmt.Fprintf(w, "command: %s\nconfig file: %s\n", doc.Command, file)
	if doc.Site != "" {
		fmt.Fprintf(w, "site: %s\n", doc.Site)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FLAG\tVALUE\tSOURCE\tFROM")
	for _, s := range doc.Settings {
		fmt.Fprintf(tw, "--%s\t%s\t%s\t%s\n", s.Flag, clip(s.Value, 60), s.Source, s.From)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(doc.Ignore) > 0 {
		fmt.Fprintln(w, "\nignore rules:")
		for _, r := range doc.Ignore {
			exp := "no expiry"
			if r.Expires != "" {
				exp = "until " + r.Expires
			}
			fmt.Fprintf(w, "  %s (%s): %s\n", r.Match, exp, r.Reason)
		}
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
