package knowncookies

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// The upstream files `cookiescan db update` downloads by default.
const (
	DefaultCookieDBURL = "https://raw.githubusercontent.com/jkwakman/Open-Cookie-Database/master/open-cookie-database.csv"
	DefaultEntitiesURL = "https://cdn.jsdelivr.net/npm/third-party-web@latest/dist/entities.json"
)

// maxDownload bounds a download; both files are a few MB today.
const maxDownload = 64 << 20

// minDownloadEntries rejects a download that parses but is nearly empty (an
// error page served with status 200, a truncated file that ends on a row
// boundary).
const minDownloadEntries = 100

// UpdateOptions configures Update. Zero fields take the defaults.
type UpdateOptions struct {
	CacheDir    string       // default DefaultCacheDir()
	CookieDBURL string       // default DefaultCookieDBURL; "-" skips it
	EntitiesURL string       // default DefaultEntitiesURL; "-" skips it
	HTTPClient  *http.Client // default http.DefaultClient
}

// UpdatedFile describes one file Update wrote.
type UpdatedFile struct {
	Path    string `json:"path"`
	URL     string `json:"url"`
	Bytes   int64  `json:"bytes"`
	Entries int    `json:"entries"`
	// Malformed holds rows of the download that cannot be used; the file is
	// kept, and scans report them as warnings.
	Malformed *MalformedError `json:"-"`
}

// Update downloads the Open Cookie Database CSV and the third-party-web
// entities JSON into the cache directory. Each file is written to a temporary
// file in the same directory, checked (it must parse and hold at least
// minDownloadEntries entries), and only then renamed over the old one, so an
// interrupted or broken download leaves the old file intact.
func Update(ctx context.Context, opts UpdateOptions) ([]UpdatedFile, error) {
	if opts.CacheDir == "" {
		dir, err := DefaultCacheDir()
		if err != nil {
			return nil, err
		}
		opts.CacheDir = dir
	}
	if opts.CookieDBURL == "" {
		opts.CookieDBURL = DefaultCookieDBURL
	}
	if opts.EntitiesURL == "" {
		opts.EntitiesURL = DefaultEntitiesURL
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = http.DefaultClient
	}
	if err := os.MkdirAll(opts.CacheDir, 0o755); err != nil {
		return nil, fmt.Errorf("knowncookies: update: %w", err)
	}
	var out []UpdatedFile
	if opts.CookieDBURL != "-" {
		f, err := download(ctx, opts.HTTPClient, opts.CookieDBURL, filepath.Join(opts.CacheDir, CookieDBFile), checkCookieDB)
		if err != nil {
			return out, err
		}
		out = append(out, f)
	}
	if opts.EntitiesURL != "-" {
		f, err := download(ctx, opts.HTTPClient, opts.EntitiesURL, filepath.Join(opts.CacheDir, EntitiesFile), checkEntities)
		if err != nil {
			return out, err
		}
		out = append(out, f)
	}
	return out, nil
}

func checkCookieDB(path string, f *UpdatedFile) error {
	r, err := os.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	es, err := Load(r, SourceOpenCookie)
	var me *MalformedError
	switch {
	case errors.As(err, &me):
		f.Malformed = me
	case err != nil:
		return err
	}
	f.Entries = len(es)
	if len(es) < minDownloadEntries {
		return fmt.Errorf("only %d usable entries (want at least %d)", len(es), minDownloadEntries)
	}
	return nil
}

func checkEntities(path string, f *UpdatedFile) error {
	r, err := os.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	vs, err := LoadEntities(r, path)
	if err != nil {
		return err
	}
	f.Entries = len(vs)
	if len(vs) < minDownloadEntries {
		return fmt.Errorf("only %d entities (want at least %d)", len(vs), minDownloadEntries)
	}
	return nil
}

// download fetches url into dst through a temporary file and a rename.
func download(ctx context.Context, client *http.Client, url, dst string, check func(string, *UpdatedFile) error) (res UpdatedFile, err error) {
	res = UpdatedFile{Path: dst, URL: url}
	wrap := func(err error) error { return fmt.Errorf("knowncookies: download %s: %w", url, err) }

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return res, wrap(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return res, wrap(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return res, wrap(fmt.Errorf("HTTP status %s", resp.Status))
	}

	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return res, wrap(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, maxDownload+1))
	if err != nil {
		return res, wrap(fmt.Errorf("body: %w", err))
	}
	if n > maxDownload {
		return res, wrap(fmt.Errorf("larger than %d bytes", maxDownload))
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return res, wrap(fmt.Errorf("got %d of %d bytes", n, resp.ContentLength))
	}
	if err = tmp.Sync(); err != nil {
		return res, wrap(err)
	}
	if err = tmp.Close(); err != nil {
		return res, wrap(err)
	}
	res.Bytes = n
	if err = check(tmp.Name(), &res); err != nil {
		return res, wrap(fmt.Errorf("rejected, old file kept: %w", err))
	}
	if err = os.Rename(tmp.Name(), dst); err != nil {
		return res, wrap(err)
	}
	return res, nil
}
