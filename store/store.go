package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/cookie"
	"github.com/cookiescan/cookiescan/result"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrOlderSchema is wrapped by OpenReadOnly's error for a database at an
// older schema, which only a writable Open can upgrade.
var ErrOlderSchema = errors.New("history database at an older schema")

// ErrNotFound is returned by Load when no scan has the id asked for.
var ErrNotFound = errors.New("no such scan")

// busyTimeout is how long a statement waits for another process's write lock
// before it gives up. A scan is saved in well under a second, so ten seconds
// only runs out when something holds the lock far longer than a Save does.
const busyTimeout = 10 * time.Second

// timeLayout is fixed-width, so that times stored as text sort in time order
// (RFC 3339 with trimmed nanoseconds does not).
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// Store is a history database. It is safe for concurrent use, and several
// processes may open the same file.
type Store struct {
	db *sql.DB
	d  dialect
	// path is the SQLite file, or the PostgreSQL URL without its password.
	path string
	// afterRow, when set by a test, runs after each row Save inserts; the
	// crash and concurrency tests use it to hold a transaction open.
	afterRow func()
	// readOnly is set by OpenReadOnly; Save refuses at once.
	readOnly bool
}

// DefaultPath returns where the history database lives when no --db is given:
// $XDG_DATA_HOME/cookiescan/history.db, else ~/.local/share/cookiescan/history.db
// on Unix, else the user configuration directory (os.UserConfigDir, e.g.
// %AppData% or ~/Library/Application Support) plus cookiescan/history.db.
// It does not create anything.
func DefaultPath() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "cookiescan", "history.db"), nil
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && runtime.GOOS != "ios" && runtime.GOOS != "plan9" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("store: no place for the history database (%w); name a database file or set XDG_DATA_HOME", err)
		}
		return filepath.Join(home, ".local", "share", "cookiescan", "history.db"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("store: no place for the history database (%w); name a database file", err)
	}
	return filepath.Join(dir, "cookiescan", "history.db"), nil
}

// Open opens the history database at path, creating the file and its folder
// when missing, and upgrades its schema to the newest version this program
// knows. A postgres:// or postgresql:// URL opens a PostgreSQL database
// instead (see IsURL), whose schema is created or upgraded the same way. A
// database written by a newer cookiescan is refused rather than guessed at.
func Open(ctx context.Context, path string) (*Store, error) {
	if IsURL(path) {
		return openPostgres(ctx, path, false)
	}
	abs, err := absPath(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("store: create folder for %s: %w", abs, err)
	}
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	s := &Store{db: db, d: sqliteDialect, path: abs}
	if err := pingSQLite(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", abs, err)
	}
	return s, nil
}

// pingSQLite opens the first connection, which sets the journal mode. A
// database that several processes open at once, as workers starting
// together do, can refuse the switch to WAL with SQLITE_BUSY at once: that
// step does not wait on the busy timeout. It is tried again, for as long as
// the busy timeout would have waited.
func pingSQLite(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		err := db.PingContext(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func absPath(path string) (string, error) {
	if path == "" {
		return "", errors.New("store: empty database path; pass a file name")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("store: database path %q: %w", path, err)
	}
	return abs, nil
}

// OpenReadOnly opens an existing history database for reading only: it
// creates nothing, switches no journal mode and runs no migration, so that
// `history`, `show` and `diff` work on a file or folder the user may not
// write (a shared or archived history). A database at an older schema than
// this program can read (readableSchema) is refused with a message that says
// how to upgrade it; one at a newer schema is refused as Open refuses it.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	if IsURL(path) {
		return openPostgres(ctx, path, true)
	}
	abs, err := absPath(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s, err := openRO(ctx, abs, false)
	if err != nil {
		// A WAL database in a folder we cannot write has no -shm file to
		// share: read it as an immutable file instead. Nobody can be
		// writing to it through that folder either.
		var ierr error
		if s, ierr = openRO(ctx, abs, true); ierr != nil {
			return nil, fmt.Errorf("store: open %s read-only: %w", abs, err)
		}
	}
	if err := s.checkReadOnlyVersion(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// readableSchema is the oldest schema the read queries understand as they
// are: migrations 4 and 5 only add columns that reads do not need
// (cookies.probability and reason, scans.json_schema), and result.Decode
// reads scan JSON of any version.
const readableSchema = 3

// checkReadOnlyVersion refuses a database this program cannot read without
// migrating it, since a read-only open must not migrate.
func (s *Store) checkReadOnlyVersion(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	latest := ms[len(ms)-1].Version
	cur, err := s.Version(ctx)
	if err != nil {
		return fmt.Errorf("store: %s: %w", s.path, err)
	}
	switch {
	case cur > latest:
		return fmt.Errorf("store: %s: %w", s.path, newerSchema(cur, latest))
	case cur < readableSchema:
		return fmt.Errorf("store: %s: %w: schema version %d, this cookiescan writes %d; open it once writable (store.Open, as any scan that saves to it does) to upgrade it", s.path, ErrOlderSchema, cur, latest)
	}
	return nil
}

// openPostgres opens a PostgreSQL history. Read-only, every transaction of
// the session is read-only on the server, and nothing is created or migrated.
func openPostgres(ctx context.Context, rawURL string, readOnly bool) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// The parse error would repeat the URL, password and all.
		return nil, errors.New("store: the PostgreSQL URL does not parse; write it as postgres://user:password@host:port/database")
	}
	shown := u.Redacted()
	if readOnly {
		q := u.Query()
		q.Set("default_transaction_read_only", "on")
		u.RawQuery = q.Encode()
	}
	db, err := sql.Open(postgresDialect.driver, u.String())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", shown, err)
	}
	s := &Store{db: db, d: postgresDialect, path: shown, readOnly: readOnly}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", shown, err)
	}
	if readOnly {
		err = s.checkReadOnlyVersion(ctx)
	} else if err = s.migrate(ctx); err != nil {
		err = fmt.Errorf("store: %s: %w", shown, err)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func openRO(ctx context.Context, abs string, immutable bool) (*Store, error) {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Set("mode", "ro")
	if immutable {
		q.Set("immutable", "1")
	}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", u.String()+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// Ping opens nothing but the connection; a query reads the header, so
	// a file that is not SQLite, or a -shm that cannot be made, fails here.
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, d: sqliteDialect, path: abs, readOnly: true}, nil
}

// dsn builds the driver's URI for a file. WAL lets readers go on while a scan
// is written and keeps a killed writer's transaction out of the database;
// "immediate" takes the write lock at BEGIN, so two writers queue on the busy
// timeout instead of failing when one tries to upgrade a read lock.
func dsn(abs string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	return u.String() + "?" + q.Encode()
}

// Path returns the database file's absolute path, or the PostgreSQL URL
// with its password masked.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// SiteKey is how the store matches a site: the lower-case host and the path
// without its trailing slash, so that "example.com", "https://example.com/"
// and "HTTPS://Example.com" are one site, while http and https, and
// sub-sites such as example.com/de, are kept apart only by path.
func SiteKey(site string) string {
	s := strings.TrimSpace(site)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(site), "/"))
	}
	host := strings.ToLower(u.Hostname())
	if p := u.Port(); p != "" && p != "443" && p != "80" {
		host += ":" + p
	}
	return host + strings.TrimSuffix(u.EscapedPath(), "/")
}

// Summary is one stored scan as the history lists it.
type Summary struct {
	ID          int64     `json:"id"`
	Site        string    `json:"site"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
	ToolVersion string    `json:"tool_version"`
	Browser     string    `json:"browser,omitempty"`
	Pages       int       `json:"pages"`
	Cookies     int       `json:"cookies"`
	// Findings counts the findings by severity; baselined ones are left out
	// because they do not fail a build.
	Findings map[audit.Severity]int `json:"findings"`
	// DeclarationHash is the declaration's TextHash, empty when none was read.
	DeclarationHash string `json:"declaration_hash,omitempty"`
}

// Stored is a scan loaded with its id.
type Stored struct {
	ID   int64
	Scan *result.Scan
}

// Save stores a scan in one transaction and returns its id. Either all of it
// is stored or, on any error, cancellation or crash, none of it.
func (s *Store) Save(ctx context.Context, sc *result.Scan) (id int64, err error) {
	return s.save(ctx, sc, nil)
}

// save stores a scan in one transaction; first, when given, runs first in
// that transaction and its error voids the save.
func (s *Store) save(ctx context.Context, sc *result.Scan, first func(*sql.Tx) error) (id int64, err error) {
	if s.readOnly {
		return 0, fmt.Errorf("store: save: %s is open read-only", s.path)
	}
	if sc == nil {
		return 0, errors.New("store: save: nil scan")
	}
	if strings.TrimSpace(sc.Site) == "" {
		return 0, errors.New("store: save: the scan has no site")
	}
	if sc.SchemaVersion != result.SchemaVersion {
		// A result.Scan is this version's form whatever it says; the
		// stored JSON must say so, or Load would read it as an older one.
		c := *sc
		c.SchemaVersion = result.SchemaVersion
		sc = &c
	}
	doc, err := json.Marshal(sc)
	if err != nil {
		return 0, fmt.Errorf("store: save %s: encode scan: %w", sc.Site, err)
	}
	opts, err := json.Marshal(sc.Options)
	if err != nil {
		return 0, fmt.Errorf("store: save %s: encode options: %w", sc.Site, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: save %s: begin: %w", sc.Site, err)
	}
	defer func() {
		if err != nil {
			// The rollback error adds nothing: the transaction is void either way.
			_ = tx.Rollback()
		}
	}()

	if first != nil {
		if err = first(tx); err != nil {
			return 0, fmt.Errorf("store: save %s: %w", sc.Site, err)
		}
	}
	if err = s.insertScan(ctx, tx, sc, doc, opts, &id); err != nil {
		return 0, fmt.Errorf("store: save %s: %w", sc.Site, err)
	}
	if err = s.insertCookies(ctx, tx, id, sc); err != nil {
		return 0, fmt.Errorf("store: save %s: %w", sc.Site, err)
	}
	if err = s.insertDeclaration(ctx, tx, id, sc.Declaration); err != nil {
		return 0, fmt.Errorf("store: save %s: %w", sc.Site, err)
	}
	if err = s.insertFindings(ctx, tx, id, sc); err != nil {
		return 0, fmt.Errorf("store: save %s: %w", sc.Site, err)
	}
	if err = tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: save %s: commit: %w", sc.Site, err)
	}
	return id, nil
}

// insertScan writes the scan's row and sets id to its id.
func (s *Store) insertScan(ctx context.Context, tx *sql.Tx, sc *result.Scan, doc, opts []byte, id *int64) error {
	err := tx.QueryRowContext(ctx, s.d.bind(`INSERT INTO scans
		(site, site_key, started_at, finished_at, tool_version, options_json, pages, cookie_count, scan_json, browser, json_schema)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		sc.Site, SiteKey(sc.Site), formatTime(sc.StartedAt), formatTime(sc.FinishedAt), sc.ToolVersion,
		string(opts), len(sc.Observation.Pages), len(sc.Inventory), string(doc), sc.Observation.Browser, sc.SchemaVersion).Scan(id)
	if err != nil {
		return fmt.Errorf("insert scan: %w", err)
	}
	return nil
}

// insertCookies writes one row per cookie per consent state in which it was
// seen: the inventory's label, which the audit used, with what that state
// saw of the cookie (page, setter, lifespan and attributes).
func (s *Store) insertCookies(ctx context.Context, tx *sql.Tx, id int64, sc *result.Scan) error {
	stmt, err := tx.PrepareContext(ctx, s.d.bind(`INSERT INTO cookies
		(scan_id, state, name, domain, path, party, vendor, category, confidence, probability, reason,
		 lifespan_days, session, secure, http_only, same_site, first_seen_page, set_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return fmt.Errorf("prepare cookie insert: %w", err)
	}
	defer stmt.Close()
	for _, c := range sc.Inventory {
		for _, sg := range c.Seen {
			if _, err := stmt.ExecContext(ctx, id, string(sg.State), c.Name, c.Domain, c.Path, string(c.Party),
				c.Label.Vendor, string(c.Label.Category), string(c.Label.Confidence), c.Label.Probability, c.Label.Reason, sg.LifespanDays,
				flag(sg.Session), flag(sg.Secure), flag(sg.HTTPOnly), sg.SameSite, sg.FirstSeenPage, sg.SetBy.URL); err != nil {
				return fmt.Errorf("insert cookie %s (%s, %s): %w", c.Name, c.Domain, sg.State, err)
			}
			if s.afterRow != nil {
				s.afterRow()
			}
		}
	}
	return nil
}

func (s *Store) insertDeclaration(ctx context.Context, tx *sql.Tx, id int64, d *cookie.Declaration) error {
	if d == nil {
		return nil
	}
	doc, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode declaration: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.d.bind(`INSERT INTO declarations
		(scan_id, url, text_hash, language, platform, declaration_json) VALUES (?, ?, ?, ?, ?, ?)`),
		id, d.URL, d.TextHash, d.Language, d.Platform, string(doc)); err != nil {
		return fmt.Errorf("insert declaration: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, s.d.bind(`INSERT INTO declared_cookies
		(scan_id, name, pattern, vendor, category, lifespan_kind, lifespan_days) VALUES (?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return fmt.Errorf("prepare declared cookie insert: %w", err)
	}
	defer stmt.Close()
	for _, c := range d.Cookies {
		if _, err := stmt.ExecContext(ctx, id, c.Name, flag(c.Pattern), c.Vendor, string(c.Category),
			string(c.Lifespan.Kind), c.Lifespan.Days); err != nil {
			return fmt.Errorf("insert declared cookie %s: %w", c.Name, err)
		}
	}
	return nil
}

func (s *Store) insertFindings(ctx context.Context, tx *sql.Tx, id int64, sc *result.Scan) error {
	stmt, err := tx.PrepareContext(ctx, s.d.bind(`INSERT INTO findings
		(scan_id, rule_id, severity, state, cookie_name, cookie_domain, vendor, page_url, message, fingerprint, baselined)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return fmt.Errorf("prepare finding insert: %w", err)
	}
	defer stmt.Close()
	add := func(f audit.Finding, baselined bool) error {
		var name, domain string
		if f.Cookie != nil {
			name, domain = f.Cookie.Name, f.Cookie.Domain
		}
		if _, err := stmt.ExecContext(ctx, id, f.RuleID, int(f.Severity), string(f.State), name, domain,
			f.Vendor, f.PageURL, f.Message, f.Fingerprint, flag(baselined)); err != nil {
			return fmt.Errorf("insert finding %s %s: %w", f.RuleID, f.Fingerprint, err)
		}
		return nil
	}
	for _, f := range sc.Findings {
		if err := add(f, false); err != nil {
			return err
		}
	}
	for _, f := range sc.Baselined {
		if err := add(f, true); err != nil {
			return err
		}
	}
	return nil
}

// Load returns the stored scan with the given id, exactly as it was saved.
// It wraps ErrNotFound when there is none.
func (s *Store) Load(ctx context.Context, id int64) (*result.Scan, error) {
	var doc string
	err := s.db.QueryRowContext(ctx, s.d.bind(`SELECT scan_json FROM scans WHERE id = ?`), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: scan %d: %w (see `cookiescan history SITE` for the ids)", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: load scan %d: %w", id, err)
	}
	sc, err := result.Decode([]byte(doc))
	if err != nil {
		return nil, fmt.Errorf("store: load scan %d: %w", id, err)
	}
	return sc, nil
}

// summaryQuery selects summaries; it is one statement, so it reads one
// consistent snapshot even while another process saves a scan.
const summaryQuery = `SELECT s.id, s.site, s.started_at, s.finished_at, s.tool_version, s.browser,
	s.pages, s.cookie_count,
	coalesce((SELECT text_hash FROM declarations d WHERE d.scan_id = s.id), ''),
	coalesce((SELECT %s(severity || ':' || n, ',') FROM
		(SELECT severity, count(*) AS n FROM findings f WHERE f.scan_id = s.id AND baselined = 0 GROUP BY severity) AS c), '')
	FROM scans s WHERE s.site_key = ?`

// Scans lists the stored scans of a site, oldest first. The site may be
// written as the user likes; see SiteKey.
func (s *Store) Scans(ctx context.Context, site string) ([]Summary, error) {
	return s.summaries(ctx, summaryQuery+` ORDER BY s.started_at, s.id`, SiteKey(site))
}

// Latest returns the n newest scans of a site, newest first, loaded whole.
func (s *Store) Latest(ctx context.Context, site string, n int) ([]Stored, error) {
	if n <= 0 {
		return nil, fmt.Errorf("store: latest %d scans of %s: n must be at least 1", n, site)
	}
	rows, err := s.db.QueryContext(ctx, s.d.bind(`SELECT id, scan_json FROM scans WHERE site_key = ?
		ORDER BY started_at DESC, id DESC LIMIT ?`), SiteKey(site), n)
	if err != nil {
		return nil, fmt.Errorf("store: latest scans of %s: %w", site, err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var st Stored
		var doc string
		if err := rows.Scan(&st.ID, &doc); err != nil {
			return nil, fmt.Errorf("store: latest scans of %s: %w", site, err)
		}
		if st.Scan, err = result.Decode([]byte(doc)); err != nil {
			return nil, fmt.Errorf("store: latest scans of %s: scan %d: %w", site, st.ID, err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: latest scans of %s: %w", site, err)
	}
	return out, nil
}

// Summary returns the summary of one scan; it wraps ErrNotFound when there is none.
func (s *Store) Summary(ctx context.Context, id int64) (Summary, error) {
	out, err := s.summaries(ctx, strings.Replace(summaryQuery, "s.site_key = ?", "s.id = ?", 1), id)
	if err != nil {
		return Summary{}, err
	}
	if len(out) == 0 {
		return Summary{}, fmt.Errorf("store: scan %d: %w (see `cookiescan history SITE` for the ids)", id, ErrNotFound)
	}
	return out[0], nil
}

// Sites lists the sites that have stored scans, as first written, sorted.
func (s *Store) Sites(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT min(site) FROM scans GROUP BY site_key ORDER BY site_key`)
	if err != nil {
		return nil, fmt.Errorf("store: list sites: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var site string
		if err := rows.Scan(&site); err != nil {
			return nil, fmt.Errorf("store: list sites: %w", err)
		}
		out = append(out, site)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list sites: %w", err)
	}
	return out, nil
}

func (s *Store) summaries(ctx context.Context, query string, arg any) ([]Summary, error) {
	rows, err := s.db.QueryContext(ctx, s.d.bind(fmt.Sprintf(query, s.d.groupConcat)), arg)
	if err != nil {
		return nil, fmt.Errorf("store: list scans: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sum Summary
		var started, finished, counts string
		if err := rows.Scan(&sum.ID, &sum.Site, &started, &finished, &sum.ToolVersion, &sum.Browser,
			&sum.Pages, &sum.Cookies, &sum.DeclarationHash, &counts); err != nil {
			return nil, fmt.Errorf("store: list scans: %w", err)
		}
		if sum.StartedAt, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("store: scan %d: started_at: %w", sum.ID, err)
		}
		if sum.FinishedAt, err = parseTime(finished); err != nil {
			return nil, fmt.Errorf("store: scan %d: finished_at: %w", sum.ID, err)
		}
		if sum.Findings, err = parseCounts(counts); err != nil {
			return nil, fmt.Errorf("store: scan %d: finding counts: %w", sum.ID, err)
		}
		out = append(out, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list scans: %w", err)
	}
	return out, nil
}

// parseCounts reads "severity:count,…" as the summary query builds it.
func parseCounts(s string) (map[audit.Severity]int, error) {
	out := map[audit.Severity]int{}
	if s == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		sev, n, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("malformed %q", part)
		}
		si, err := strconv.Atoi(sev)
		if err != nil {
			return nil, fmt.Errorf("malformed severity %q: %w", sev, err)
		}
		ni, err := strconv.Atoi(n)
		if err != nil {
			return nil, fmt.Errorf("malformed count %q: %w", n, err)
		}
		out[audit.Severity(si)] = ni
	}
	return out, nil
}

// Severities returns the severities present in counts, highest first.
func Severities(counts map[audit.Severity]int) []audit.Severity {
	out := make([]audit.Severity, 0, len(counts))
	for s := range counts {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] > out[j] })
	return out
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(timeLayout, s)
}

// LastScan returns the start time of the newest stored scan of a site, and
// false when the site has none. It reads one indexed row, so a scheduler can
// ask it for every site on every tick.
func (s *Store) LastScan(ctx context.Context, site string) (time.Time, bool, error) {
	t, ok, err := s.lastScan(ctx, s.db, SiteKey(site))
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: last scan of %s: %w", site, err)
	}
	return t, ok, nil
}
