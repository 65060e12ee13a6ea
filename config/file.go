// Package config gives every command-line flag two more sources: a
// COOKIESCAN_* environment variable and a .cookiescan.yaml file, with ignore
// rules and per-site overrides. Precedence: flag > environment > the file's
// site section > the file > the flag's default. It binds to any cobra
// command tree by walking its flag sets, so a new flag needs no code here.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// FileName is the configuration file looked for in the working folder.
const FileName = ".cookiescan.yaml"

// maxFileSize bounds the configuration file; a real one is a few KB.
const maxFileSize = 1 << 20

// Reserved keys of the file that are not flags.
const (
	keyIgnore = "ignore"
	keySites  = "sites"
)

// Value is one flag's value in the file: one or more strings, and where it
// was written (for error messages and `config show`).
type Value struct {
	List   []string
	IsList bool
	Line   int
}

// File is a parsed .cookiescan.yaml.
type File struct {
	Path   string
	Flags  map[string]Value
	Ignore []IgnoreRule
	Sites  map[string]Site
}

// Site is a per-site section: flag values and ignore rules that apply only
// when the scanned URL's host matches.
type Site struct {
	Key    string
	Flags  map[string]Value
	Ignore []IgnoreRule
}

// Load reads the configuration file: path when given (it must exist),
// otherwise FileName in dir when present. No file is not an error: it
// returns an empty File.
func Load(path, dir string) (*File, error) {
	explicit := path != ""
	if !explicit {
		path = filepath.Join(dir, FileName)
	}
	f, err := os.Open(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return &File{Flags: map[string]Value{}, Sites: map[string]Site{}}, nil
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("config %s: larger than %d bytes; is this the right file?", path, maxFileSize)
	}
	file, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	file.Path = path
	return file, nil
}

// Parse reads the YAML of a configuration file.
func Parse(data []byte) (*File, error) {
	file := &File{Flags: map[string]Value{}, Sites: map[string]Site{}}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return file, nil // an empty file
		}
		return nil, err
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return file, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a mapping of flag names to values", root.Line)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case keyIgnore:
			rules, err := parseIgnore(v)
			if err != nil {
				return nil, err
			}
			file.Ignore = rules
		case keySites:
			if v.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("line %d: sites: want a mapping of host names to settings", v.Line)
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				sk, sv := v.Content[j], v.Content[j+1]
				site, err := parseSite(sk.Value, sv)
				if err != nil {
					return nil, err
				}
				file.Sites[site.Key] = site
			}
		default:
			val, err := parseValue(k.Value, v)
			if err != nil {
				return nil, err
			}
			file.Flags[k.Value] = val
		}
	}
	return file, nil
}

func parseSite(key string, n *yaml.Node) (Site, error) {
	s := Site{Key: strings.ToLower(strings.TrimSpace(key)), Flags: map[string]Value{}}
	if s.Key == "" {
		return s, fmt.Errorf("line %d: sites: empty host name", n.Line)
	}
	if n.Kind != yaml.MappingNode {
		return s, fmt.Errorf("line %d: sites: %s: want a mapping of flag names to values", n.Line, key)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case keyIgnore:
			rules, err := parseIgnore(v)
			if err != nil {
				return s, err
			}
			s.Ignore = rules
		case keySites:
			return s, fmt.Errorf("line %d: sites: %s: a site section cannot hold sites", k.Line, key)
		default:
			val, err := parseValue(k.Value, v)
			if err != nil {
				return s, err
			}
			s.Flags[k.Value] = val
		}
	}
	return s, nil
}

// parseValue accepts a scalar or a list of scalars.
func parseValue(key string, n *yaml.Node) (Value, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		return Value{List: []string{n.Value}, Line: n.Line}, nil
	case yaml.SequenceNode:
		v := Value{IsList: true, Line: n.Line, List: []string{}}
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return Value{}, fmt.Errorf("line %d: %s: a list of plain values is expected", item.Line, key)
			}
			v.List = append(v.List, item.Value)
		}
		return v, nil
	}
	return Value{}, fmt.Errorf("line %d: %s: want a value or a list of values, not a mapping", n.Line, key)
}

// Site returns the site section for a scanned URL (or bare host): the
// section named by its host, else the one named by the host without
// "www.", else a "*.domain" section the host falls under. ok is false when
// none matches.
func (f *File) Site(target string) (Site, bool) {
	host := hostOf(target)
	if host == "" || len(f.Sites) == 0 {
		return Site{}, false
	}
	if s, ok := f.Sites[host]; ok {
		return s, true
	}
	if s, ok := f.Sites[strings.TrimPrefix(host, "www.")]; ok {
		return s, true
	}
	best := Site{}
	for key, s := range f.Sites {
		dom, ok := strings.CutPrefix(key, "*.")
		if ok && (host == dom || strings.HasSuffix(host, "."+dom)) && len(key) > len(best.Key) {
			best = s
		}
	}
	return best, best.Key != ""
}

// hostOf returns the lower-case host of a URL or of a bare host[:port].
func hostOf(target string) string {
	t := strings.TrimSpace(target)
	if !strings.Contains(t, "://") {
		t = "http://" + t
	}
	u, err := url.Parse(t)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
