package config

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// Source says where a flag's value came from.
type Source string

// The sources, highest precedence first.
const (
	SourceFlag    Source = "flag"
	SourceEnv     Source = "env"
	SourceSite    Source = "site"
	SourceFile    Source = "file"
	SourceDefault Source = "default"
)

// EnvPrefix starts every environment variable that sets a flag.
const EnvPrefix = "COOKIESCAN_"

// EnvName is the environment variable of a flag: --max-pages is
// COOKIESCAN_MAX_PAGES.
func EnvName(flag string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// unbound are flags that only make sense on the command line.
var unbound = []string{"help", "version", "config"}

// Setting is one flag's resolved value and where it came from.
type Setting struct {
	Flag   string `json:"flag"`
	Value  string `json:"value"`
	Source Source `json:"source"`
	// From names the variable or the file and line, when not a flag or default.
	From string `json:"from,omitempty"`
}

// Getenv looks a variable up; os.LookupEnv is the real one.
type Getenv func(string) (string, bool)

// Apply gives every flag of fs that the command line left unset its value
// from the environment, else the file's site section for site, else the
// file, and returns every flag's value and source, sorted by name. file may
// be nil and site empty.
//
// ref, when given, is the flag set the environment and the file are written
// for (scan's): a flag of fs whose namesake in ref has another type, such
// as history's --format (table or json) beside scan's list of report
// formats, takes nothing from them.
func Apply(fs *pflag.FlagSet, getenv Getenv, file *File, site string, ref *pflag.FlagSet) ([]Setting, error) {
	if getenv == nil {
		getenv = os.LookupEnv
	}
	if file == nil {
		file = &File{}
	}
	siteSec, hasSite := file.Site(site)
	var out []Setting
	var errs []error
	fs.VisitAll(func(f *pflag.Flag) {
		if slices.Contains(unbound, f.Name) {
			return
		}
		s := Setting{Flag: f.Name, Source: SourceDefault}
		var namesake *pflag.Flag
		if ref != nil {
			namesake = ref.Lookup(f.Name)
		}
		switch {
		case f.Changed:
			s.Source = SourceFlag
		case namesake != nil && namesake.Value.Type() != f.Value.Type():
			// Not the flag the environment and the file mean.
		default:
			// An empty variable counts as unset: CI systems pass optional
			// inputs through as empty strings.
			if v, ok := getenv(EnvName(f.Name)); ok && v != "" {
				s.Source, s.From = SourceEnv, EnvName(f.Name)
				if err := set(fs, f, []string{v}, false); err != nil {
					errs = append(errs, fmt.Errorf("%s=%q: %w", s.From, v, err))
				}
				break
			}
			val, ok := Value{}, false
			if hasSite {
				if val, ok = siteSec.Flags[f.Name]; ok {
					s.Source, s.From = SourceSite, fmt.Sprintf("%s:%d (sites: %s)", file.Path, val.Line, siteSec.Key)
				}
			}
			if !ok {
				if val, ok = file.Flags[f.Name]; ok {
					s.Source, s.From = SourceFile, fmt.Sprintf("%s:%d", file.Path, val.Line)
				}
			}
			if ok {
				if err := set(fs, f, val.List, val.IsList); err != nil {
					errs = append(errs, fmt.Errorf("%s: %s: %w", s.From, f.Name, err))
				}
			}
		}
		s.Value = display(f)
		out = append(out, s)
	})
	if len(errs) > 0 {
		return out, errs[0]
	}
	return out, nil
}

// set gives a flag its value as the command line would, so it is parsed
// and checked by the flag's own type. A list replaces a list flag's default.
func set(fs *pflag.FlagSet, f *pflag.Flag, vals []string, isList bool) error {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		var items []string
		for _, v := range vals {
			if isList {
				items = append(items, v)
				continue
			}
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					items = append(items, part)
				}
			}
		}
		// Append through the flag's own parser (ints, durations…), after
		// emptying it.
		if err := sv.Replace(nil); err != nil {
			return err
		}
		for _, it := range items {
			if err := sv.Append(it); err != nil {
				return err
			}
		}
		f.Changed = true
		return nil
	}
	if isList {
		return fmt.Errorf("takes one value, not a list")
	}
	if err := fs.Set(f.Name, vals[0]); err != nil {
		// pflag's message repeats the flag; keep its reason only.
		return fmt.Errorf("invalid value %q (want %s)", vals[0], ValueHint(f))
	}
	return nil
}

// ValueHint says what a flag takes, for error messages.
func ValueHint(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "bool":
		return "true or false"
	case "int", "count":
		return "a whole number"
	case "duration":
		return "a duration such as 30s or 2m"
	}
	return "a " + f.Value.Type()
}

// display is a flag's value as `config show` prints it.
func display(f *pflag.Flag) string {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		return strings.Join(sv.GetSlice(), ",")
	}
	if f.Value.Type() == "string" {
		return f.Value.String()
	}
	if f.Value.Type() == "bool" {
		b, _ := strconv.ParseBool(f.Value.String())
		return strconv.FormatBool(b)
	}
	return f.Value.String()
}
