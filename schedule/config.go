// Package schedule runs scans of many sites on cron schedules: it reads a
// schedule file (YAML or TOML), decides which sites are due from the
// history store, runs them with bounded concurrency and a timeout each,
// finishes each scan through the same path as the CLI (scan.Finish, then
// reports.WriteFiles, then the history store), and tells a webhook when a
// site's findings change.
package schedule

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/cookiescan/cookiescan/scan"
)

// Defaults for keys that neither a site nor the defaults section sets.
const (
	DefaultTimeout = 10 * time.Minute
)

// DefaultFormats are the report formats written when none are named.
func DefaultFormats() []string { return []string{"html", "json"} }

// File is a parsed, validated schedule file.
type File struct {
	// Path is the file the schedule was read from.
	Path  string
	Sites []Site
}

// Site is one site to scan on a schedule.
type Site struct {
	// Name identifies the site in messages and report file names; it
	// defaults to the URL's host and path as a slug, and must be unique.
	Name string
	URL  string
	// Declaration is where the cookie declaration is: an http(s) URL or a
	// file (relative paths are resolved against the schedule file's
	// folder). Empty means the scan looks for it.
	Declaration string
	// Cron is the five-field cron expression (or @daily, @every 6h, …).
	Cron     string
	Schedule cron.Schedule
	// Formats are the report formats to write each run.
	Formats []string
	// Output is the folder for this site's reports; a relative path is
	// resolved against the schedule file's folder. By default it is
	// reports/<name>, or <defaults.output>/<name> when the defaults name one.
	Output string
	// FailOn marks a run failed (fail_on: a severity and/or rule ids, as
	// --fail-on takes them; max_findings: a count), after Baseline.
	FailOn scan.FailPolicy
	// Baseline is a baseline file or an earlier JSON report whose findings
	// are accepted, as --baseline takes it; relative paths are resolved
	// against the schedule file's folder. Empty accepts none.
	Baseline string
	// Webhook receives a JSON POST when the site's findings change.
	Webhook string
	// Timeout bounds one scan of the site; DefaultTimeout when not given.
	Timeout time.Duration
	// Line is where the site's entry starts in the schedule file.
	Line int
}

// Error is a problem in a schedule file, with the line it is on when known.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// ErrInvalid is wrapped by every error about the content of a schedule file,
// so the CLI can tell a bad file (a usage error) from a failed run.
var ErrInvalid = errors.New("invalid schedule file")

// raw is one site entry, or the defaults, as written, before validation.
type raw struct {
	Name        string   `toml:"name"`
	URL         string   `toml:"url"`
	Declaration string   `toml:"declaration"`
	Cron        string   `toml:"cron"`
	Formats     []string `toml:"formats"`
	Output      string   `toml:"output"`
	FailOn      string   `toml:"fail_on"`
	Baseline    string   `toml:"baseline"`
	MaxFindings *int     `toml:"max_findings"`
	Webhook     string   `toml:"webhook"`
	Timeout     string   `toml:"timeout"`

	line  int            // where the entry starts
	lines map[string]int // where each key is
}

func (r *raw) lineOf(key string) int {
	if l := r.lines[key]; l > 0 {
		return l
	}
	return r.line
}

// siteKeys are the keys a site entry may have; the defaults take the same
// keys except name and url.
func siteKeys() []string {
	return []string{"name", "url", "declaration", "cron", "formats", "output", "fail_on", "baseline", "max_findings", "webhook", "timeout"}
}

type rawFile struct {
	Defaults raw   `toml:"defaults"`
	Sites    []raw `toml:"sites"`
}

// Load reads and validates a schedule file; its extension (.yaml, .yml or
// .toml) says which syntax it is in.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read schedule: %w", err)
	}
	return Parse(path, data)
}

// Parse validates a schedule file's content; name gives the syntax by its
// extension and is used in messages and to resolve relative paths.
func Parse(name string, data []byte) (*File, error) {
	var rf *rawFile
	var err error
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		rf, err = parseYAML(name, data)
	case ".toml":
		rf, err = parseTOML(name, data)
	default:
		return nil, fmt.Errorf("%w: %s: unknown syntax; name the file .yaml, .yml or .toml", ErrInvalid, name)
	}
	if err != nil {
		return nil, err
	}
	return validate(name, rf)
}

func invalid(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w:\n%w", ErrInvalid, errors.Join(errs...))
}

// parseYAML walks the node tree rather than decoding into structs, because
// only the nodes know the line of every key, and unknown keys must be named
// with their line.
func parseYAML(name string, data []byte) (*rawFile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%w: %s: the file is empty; it needs a sites: list", ErrInvalid, name)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{name, root.Line, "the top level must be a mapping with defaults: and sites:"}
	}
	rf := &rawFile{}
	var errs []error
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "defaults":
			if err := yamlEntry(name, v, &rf.Defaults, "defaults"); err != nil {
				errs = append(errs, err...)
			}
		case "sites":
			if v.Kind != yaml.SequenceNode {
				errs = append(errs, &Error{name, v.Line, "sites must be a list of site entries (each starting with - url: …)"})
				continue
			}
			for j, item := range v.Content {
				var r raw
				if err := yamlEntry(name, item, &r, fmt.Sprintf("site %d", j+1)); err != nil {
					errs = append(errs, err...)
				}
				rf.Sites = append(rf.Sites, r)
			}
		default:
			errs = append(errs, &Error{name, k.Line, fmt.Sprintf("unknown key %q at the top level; known keys: defaults, sites", k.Value)})
		}
	}
	if err := invalid(errs); err != nil {
		return nil, err
	}
	return rf, nil
}

func yamlEntry(name string, n *yaml.Node, r *raw, what string) []error {
	r.line, r.lines = n.Line, map[string]int{}
	if n.Kind != yaml.MappingNode {
		return []error{&Error{name, n.Line, what + " must be a mapping of keys (url:, cron:, …)"}}
	}
	var errs []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		r.lines[k.Value] = k.Line
		var target any
		switch k.Value {
		case "name":
			target = &r.Name
		case "url":
			target = &r.URL
		case "declaration":
			target = &r.Declaration
		case "cron":
			target = &r.Cron
		case "formats":
			target = &r.Formats
		case "output":
			target = &r.Output
		case "fail_on":
			target = &r.FailOn
		case "baseline":
			target = &r.Baseline
		case "max_findings":
			target = &r.MaxFindings
		case "webhook":
			target = &r.Webhook
		case "timeout":
			target = &r.Timeout
		default:
			errs = append(errs, &Error{name, k.Line, fmt.Sprintf("%s: unknown key %q; known keys: %s", what, k.Value, strings.Join(siteKeys(), ", "))})
			continue
		}
		if err := v.Decode(target); err != nil {
			errs = append(errs, &Error{name, v.Line, fmt.Sprintf("%s: %s: %s", what, k.Value, yamlMessage(err))})
		}
	}
	return errs
}

// yamlMessage strips yaml.v3's "yaml: unmarshal errors:\n  line N: " framing,
// since Error already carries the line.
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
			msg = rest
		}
		return msg
	}
	return err.Error()
}

func parseTOML(name string, data []byte) (*rawFile, error) {
	rf := &rawFile{}
	md, err := toml.Decode(string(data), rf)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, &Error{name, pe.Position.Line, pe.Message})
		}
		// Type errors already say "toml: line N (last key …)".
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, name, err)
	}
	lines := tomlLines(data)
	rf.Defaults.line, rf.Defaults.lines = lines.defaultsLine, lines.defaults
	for i := range rf.Sites {
		if i < len(lines.sites) {
			rf.Sites[i].line, rf.Sites[i].lines = lines.siteLines[i], lines.sites[i]
		}
	}
	var errs []error
	for _, k := range md.Undecoded() {
		line, where := 0, "at the top level"
		switch {
		case len(k) == 2 && k[0] == "defaults":
			line, where = lines.defaults[k[1]], "in [defaults]"
		case len(k) == 2 && k[0] == "sites":
			// MetaData drops the array index; the first site with the key is the one.
			for i, site := range lines.sites {
				if l, ok := site[k[1]]; ok {
					line, where = l, fmt.Sprintf("in site %d", i+1)
					break
				}
			}
		}
		msg := fmt.Sprintf("unknown key %q %s; known keys: %s", k[len(k)-1], where, strings.Join(siteKeys(), ", "))
		if len(k) == 1 {
			msg = fmt.Sprintf("unknown key %q at the top level; known keys: defaults, sites", k[0])
			line = lines.top[k[0]]
		}
		errs = append(errs, &Error{name, line, msg})
	}
	if err := invalid(errs); err != nil {
		return nil, err
	}
	return rf, nil
}

type tomlPositions struct {
	top          map[string]int
	defaults     map[string]int
	defaultsLine int
	sites        []map[string]int
	siteLines    []int
}

var tomlKeyLine = regexp.MustCompile(`^\s*"?([A-Za-z0-9_-]+)"?\s*=`)

// tomlLines finds the line of each key. MetaData keeps key positions
// private, so this reads the flat layout a schedule uses: [defaults],
// [[sites]] and key = value lines. A key it cannot place gets the line of
// its table, or none.
func tomlLines(data []byte) tomlPositions {
	p := tomlPositions{top: map[string]int{}, defaults: map[string]int{}}
	section := p.top
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		t := strings.TrimSpace(string(line))
		switch {
		case strings.HasPrefix(t, "[[sites]]"):
			section = map[string]int{}
			p.sites = append(p.sites, section)
			p.siteLines = append(p.siteLines, n)
		case strings.HasPrefix(t, "[defaults]"):
			section, p.defaultsLine = p.defaults, n
		case strings.HasPrefix(t, "["):
			section = map[string]int{}
		default:
			if m := tomlKeyLine.FindStringSubmatch(t); m != nil {
				if _, dup := section[m[1]]; !dup {
					section[m[1]] = n
				}
			}
		}
	}
	return p
}

var slugUnsafe = regexp.MustCompile(`[^a-z0-9._-]+`)

// nameFor derives a site's name from its URL: host and path as one slug.
func nameFor(u *url.URL) string {
	s := strings.ToLower(u.Host + strings.TrimSuffix(u.Path, "/"))
	return strings.Trim(slugUnsafe.ReplaceAllString(s, "-"), "-.")
}

func validate(name string, rf *rawFile) (*File, error) {
	dir := filepath.Dir(name)
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, &Error{name, line, fmt.Sprintf(format, args...)})
	}
	d := rf.Defaults
	if d.URL != "" {
		bad(d.lineOf("url"), "defaults: url belongs in a site entry, not in defaults")
	}
	if d.Name != "" {
		bad(d.lineOf("name"), "defaults: name belongs in a site entry, not in defaults")
	}
	if len(rf.Sites) == 0 {
		bad(0, "no sites; add a sites list with at least one entry that has url and cron")
	}
	f := &File{Path: name}
	names := map[string]int{}
	for i, r := range rf.Sites {
		what := fmt.Sprintf("site %d", i+1)
		s := Site{Line: r.line, Declaration: r.Declaration, Baseline: pick(r.Baseline, d.Baseline)}

		s.URL = strings.TrimSpace(r.URL)
		u, err := url.Parse(s.URL)
		switch {
		case s.URL == "":
			bad(r.line, "%s: no url; every site needs url: https://…", what)
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			bad(r.lineOf("url"), "%s: url %q must be an absolute http or https URL", what, r.URL)
		default:
			what = fmt.Sprintf("site %d (%s)", i+1, s.URL)
			s.Name = nameFor(u)
		}
		if r.Name != "" {
			s.Name = r.Name
			if strings.ContainsAny(r.Name, `/\`) || r.Name == "." || r.Name == ".." {
				bad(r.lineOf("name"), "%s: name %q is used in file names; it must not contain / or \\ or be . or ..", what, r.Name)
			}
		}
		if s.Name != "" {
			if first, dup := names[s.Name]; dup {
				bad(r.line, "%s: name %q is already used by the site on line %d; give one of them a distinct name", what, s.Name, first)
			}
			names[s.Name] = r.line
		}

		s.Cron = pick(r.Cron, d.Cron)
		cronLine := r.lineOf("cron")
		if r.Cron == "" {
			cronLine = d.lineOf("cron")
		}
		if s.Cron == "" {
			bad(r.line, `%s: no cron expression; add cron: "0 3 * * 1" (minute hour day-of-month month day-of-week) to the site or to defaults`, what)
		} else if s.Schedule, err = cron.ParseStandard(s.Cron); err != nil {
			bad(cronLine, "%s: bad cron expression %q: %v; use five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @every 6h", what, s.Cron, err)
		}

		s.Formats = r.Formats
		if len(s.Formats) == 0 {
			s.Formats = d.Formats
		}
		if len(s.Formats) == 0 {
			s.Formats = DefaultFormats()
		}
		for j, fm := range s.Formats {
			fm = strings.ToLower(strings.TrimSpace(fm))
			if fm == "" {
				bad(r.lineOf("formats"), "%s: formats: entry %d is empty", what, j+1)
			}
			s.Formats[j] = fm
		}
		s.Formats = slices.Compact(slices.Clone(s.Formats))

		switch {
		case r.Output != "":
			s.Output = r.Output
		case d.Output != "":
			s.Output = filepath.Join(d.Output, s.Name)
		default:
			s.Output = filepath.Join("reports", s.Name)
		}
		if !filepath.IsAbs(s.Output) {
			s.Output = filepath.Join(dir, s.Output)
		}
		if s.Declaration != "" && !strings.HasPrefix(s.Declaration, "http://") && !strings.HasPrefix(s.Declaration, "https://") && !filepath.IsAbs(s.Declaration) {
			s.Declaration = filepath.Join(dir, s.Declaration)
		}
		if s.Baseline != "" && !filepath.IsAbs(s.Baseline) {
			s.Baseline = filepath.Join(dir, s.Baseline)
		}

		if fo, src := pick(r.FailOn, d.FailOn), pickSrc(r, d, "fail_on", r.FailOn != ""); fo != "" {
			p, err := scan.ParseFailPolicy(fo)
			if err != nil {
				bad(src, "%s: fail_on: %v", what, err)
			} else {
				s.FailOn = p
			}
		}
		mf, mfLine := r.MaxFindings, r.lineOf("max_findings")
		if mf == nil {
			mf, mfLine = d.MaxFindings, d.lineOf("max_findings")
		}
		if mf != nil {
			if *mf < 0 {
				bad(mfLine, "%s: max_findings %d must be 0 or more", what, *mf)
			}
			n := *mf
			s.FailOn.MaxFindings = &n
		}

		if s.Webhook = pick(r.Webhook, d.Webhook); s.Webhook != "" {
			wu, err := url.Parse(s.Webhook)
			if err != nil || (wu.Scheme != "http" && wu.Scheme != "https") || wu.Host == "" {
				bad(pickSrc(r, d, "webhook", r.Webhook != ""), "%s: webhook %q must be an absolute http or https URL", what, s.Webhook)
			}
		}

		s.Timeout = DefaultTimeout
		if ts := pick(r.Timeout, d.Timeout); ts != "" {
			t, err := time.ParseDuration(ts)
			if err != nil || t <= 0 {
				bad(pickSrc(r, d, "timeout", r.Timeout != ""), "%s: timeout %q must be a positive duration such as 90s, 10m or 1h", what, ts)
			} else {
				s.Timeout = t
			}
		}
		f.Sites = append(f.Sites, s)
	}
	if err := invalid(errs); err != nil {
		return nil, err
	}
	return f, nil
}

// pick returns the site's value, else the default's.
func pick(site, def string) string {
	if site != "" {
		return site
	}
	return def
}

// pickSrc returns the line of key in the site entry when the site set it,
// else in the defaults.
func pickSrc(r, d raw, key string, fromSite bool) int {
	if fromSite {
		return r.lineOf(key)
	}
	return d.lineOf(key)
}
