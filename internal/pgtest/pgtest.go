// Package pgtest starts a throwaway PostgreSQL cluster for the tests of one
// package: initdb in a temporary folder, a server listening only on a Unix
// socket in that folder (no port to collide with), and one fresh schema (an
// empty database to the store) per test. The server refuses to run as root,
// so under root it runs as the "postgres" user (Debian's package creates it)
// or "nobody".
//
// Without PostgreSQL the tests skip, except under CI=true, where they fail:
// CI must never pass by skipping the PostgreSQL half of the store's tests.
// `make test` installs Debian's postgresql package when root.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	dir  string // data folder and socket folder
	bin  string // folder holding initdb, pg_ctl, postgres
	cred *syscall.Credential
	next atomic.Int64
}

// findBin returns the folder with pg_ctl and initdb: $COOKIESCAN_PG_BIN, the
// newest /usr/lib/postgresql/*/bin (Debian keeps them off the PATH), or the PATH.
func findBin() (string, error) {
	if d := os.Getenv("COOKIESCAN_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	p, err := exec.LookPath("pg_ctl")
	if err != nil {
		return "", errors.New("no PostgreSQL server found (looked in $COOKIESCAN_PG_BIN, /usr/lib/postgresql/*/bin and the PATH); install Debian's postgresql package")
	}
	return filepath.Dir(p), nil
}

// credential picks the user the server runs as: ourselves, or when we are
// root, an unprivileged account the server accepts.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.Atoi(u.Uid)
		gid, err2 := strconv.Atoi(u.Gid)
		if err1 == nil && err2 == nil {
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
		}
	}
	return nil, errors.New("running as root and no postgres or nobody account to run PostgreSQL as")
}

// Start initialises and starts a cluster in a new temporary folder.
func Start() (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	cred, err := credential()
	if err != nil {
		return nil, err
	}
	removeStale(bin, cred)
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	c := &Cluster{dir: dir, bin: bin, cred: cred}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: hand %s to the server's user: %w", dir, err)
		}
	}
	data := filepath.Join(dir, "data")
	if err := c.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// Durability is off: the cluster is thrown away. Only the Unix socket
	// listens, inside our own folder.
	opts := "-c listen_addresses='' -c unix_socket_directories=" + dir +
		" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
	if err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w\nserver log:\n%s", err, log)
	}
	return c, nil
}

// ownerFile holds the pid of the test process that made a cluster.
const ownerFile = "owner.pid"

// removeStale stops and removes the clusters of test processes that died
// without stopping them (a test binary killed at its timeout): each would
// otherwise keep a server running.
func removeStale(bin string, cred *syscall.Credential) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "pgtest-*"))
	for _, d := range dirs {
		raw, err := os.ReadFile(filepath.Join(d, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) == nil || !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			continue
		}
		stale := &Cluster{dir: d, bin: bin, cred: cred}
		_ = stale.Stop()
	}
}

func (c *Cluster) run(tool string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.bin, tool), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgtest: %s: %w: %s", tool, err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}

// URL returns the connection URL of the cluster's database with the given
// schema first on the search path ("" for the default).
func (c *Cluster) URL(schema string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/postgres"}
	q := url.Values{"host": {c.dir}, "sslmode": {"disable"}}
	if schema != "" {
		q.Set("search_path", schema)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// NewDatabase creates an empty schema and returns a URL whose tables go
// there. A schema is made in milliseconds where CREATE DATABASE takes a
// second, and it keeps each test's tables apart just as well.
func (c *Cluster) NewDatabase(ctx context.Context) (string, error) {
	name := "t" + strconv.FormatInt(c.next.Add(1), 10)
	db, err := sql.Open("pgx", c.URL(""))
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", fmt.Errorf("pgtest: create schema: %w", err)
	}
	return c.URL(name), nil
}

// Stop stops the server at once and removes its folder.
func (c *Cluster) Stop() error {
	err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	if rerr := os.RemoveAll(c.dir); err == nil {
		err = rerr
	}
	return err
}

// pkg is the package's cluster, started by the first test that asks.
var pkg struct {
	once sync.Once
	c    *Cluster
	err  error
}

// Main runs a package's tests and then stops its cluster if one was
// started: call it from TestMain. The cluster starts lazily, so test
// binaries re-run as helper processes, and packages whose selected tests
// need no database, start none.
func Main(m *testing.M) {
	code := m.Run()
	if pkg.c != nil {
		if err := pkg.c.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	os.Exit(code)
}

// Database returns the URL of a fresh, empty database on the package's
// cluster, skipping the test when PostgreSQL is missing (failing it under
// CI=true).
func Database(t testing.TB) string {
	t.Helper()
	pkg.once.Do(func() {
		t0 := time.Now()
		pkg.c, pkg.err = Start()
		if pkg.err == nil && os.Getenv("PGTEST_VERBOSE") != "" {
			fmt.Fprintf(os.Stderr, "pgtest: cluster up in %s\n", time.Since(t0).Round(time.Millisecond))
		}
	})
	if pkg.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is needed: %v (CI=true: PostgreSQL tests must run; `make test` installs postgresql)", pkg.err)
		}
		t.Skipf("PostgreSQL not available: %v", pkg.err)
	}
	u, err := pkg.c.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return u
}
