package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cookiescan/cookiescan/internal/browsertest"
	"github.com/cookiescan/cookiescan/internal/chrome"
	"github.com/cookiescan/cookiescan/internal/fixture"
	"github.com/cookiescan/cookiescan/internal/pgtest"
	"github.com/cookiescan/cookiescan/schedule"
	"github.com/cookiescan/cookiescan/store"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// scaleSites is the number of generated sites in the scale simulation.
const scaleSites = 24

// generatedSites makes n one-page fixture sites, www.siteNN.test, each
// setting a header cookie and a different number of script cookies.
func generatedSites(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range n {
		name := fmt.Sprintf("site%02d", i)
		fsys[name+"/site.json"] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			`{"hosts": ["www.%s.test"], "page_headers": {"Set-Cookie": ["sid%02d=x; Path=/; Secure; HttpOnly"]}}`, name, i))}
		var js strings.Builder
		for c := range i % 4 {
			fmt.Fprintf(&js, "document.cookie='js%d_%02d=1; Max-Age=86400; Path=/';", c, i)
		}
		fsys[name+"/index.html"] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"<!doctype html><title>%s</title><h1>%s</h1><script>%s</script>", name, name, js.String()))}
	}
	return fsys
}

// slowSite answers its first page request only when the client goes away
// (the worker is killed), and every later one at once.
type slowSite struct {
	mu      sync.Mutex
	visits  int
	arrived chan struct{}
}

func (s *slowSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.visits++
	first := s.visits == 1
	s.mu.Unlock()
	if first {
		close(s.arrived)
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Set-Cookie", "slow=1; Path=/; Secure")
	fmt.Fprint(w, "<!doctype html><title>slow</title><p>finally")
}

// scaleEnv is what the worker processes share.
type scaleEnv struct {
	dir, sched string
	connectTo  []string
}

func newScaleEnv(t *testing.T, withSlow bool) (*scaleEnv, *slowSite) {
	t.Helper()
	srv, err := fixture.Start(generatedSites(scaleSites))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := &scaleEnv{dir: t.TempDir()}
	var sites strings.Builder
	var slow *slowSite
	if withSlow {
		// Its key sorts first, so the first claim of the run takes it.
		slow = &slowSite{arrived: make(chan struct{})}
		ts := httptest.NewTLSServer(slow)
		t.Cleanup(ts.Close)
		e.connectTo = append(e.connectTo, fmt.Sprintf("www.a-slow.test:443:127.0.0.1:%d", ts.Listener.Addr().(*net.TCPAddr).Port))
		sites.WriteString("  - url: https://www.a-slow.test/\n")
	}
	e.connectTo = append(e.connectTo, fmt.Sprintf("::127.0.0.1:%d", srv.Port()))
	for i := range scaleSites {
		fmt.Fprintf(&sites, "  - url: https://www.site%02d.test/\n", i)
	}
	e.sched = filepath.Join(e.dir, "sites.yaml")
	text := "defaults:\n  cron: \"0 3 * * 1\"\n  formats: [json]\n  output: reports\nsites:\n" + sites.String()
	if err := os.WriteFile(e.sched, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return e, slow
}

// worker starts `cookiescan schedule --once` as a process of its own group
// (its Chrome with it), scanning one page in one state per site.
func (e *scaleEnv) worker(t *testing.T, extra ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	args := []string{"schedule", e.sched, "--once", "-k", "--quiet", "--max-pages", "1", "--no-sitemap",
		"--states", "before", "--no-consent", "--declaration", "none", "--offline-db", "--timeout", "45s"}
	for _, c := range e.connectTo {
		args = append(args, "--connect-to", c)
	}
	cmd := exec.Command(os.Args[0], append(args, extra...)...)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.Dir = e.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	return cmd, &stdout, &stderr
}

var storedLine = regexp.MustCompile(`(?m)^(\S+): scan \d+ stored`)

// TestScaleWorkersSharePostgres is the many-workers simulation: four worker
// processes share one PostgreSQL; the one that takes the slow site is killed
// with SIGKILL in the middle of its scan; another takes the site over once
// the lease has run out. Every site is scanned exactly once, and the
// database holds no partial scan.
func TestScaleWorkersSharePostgres(t *testing.T) {
	if _, err := chrome.FindExec(); err != nil {
		browsertest.RequireBrowser(t, err)
	}
	if testing.Short() {
		t.Skip("multi-process simulation skipped in -short mode")
	}
	db := pgtest.Database(t)
	e, slow := newScaleEnv(t, true)
	// Migrations run once, whoever comes first: the workers start together.
	type proc struct {
		cmd            *exec.Cmd
		stdout, stderr *bytes.Buffer
	}
	var procs []proc
	for range 4 {
		c, o, se := e.worker(t, "--db", db, "--lease", "3s")
		procs = append(procs, proc{c, o, se})
	}
	select {
	case <-slow.arrived:
	case <-time.After(3 * time.Minute):
		t.Fatal("no worker reached the slow site")
	}
	// The holder of the slow site's lease is host/pid.
	raw, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var holder string
	if err := raw.QueryRow(`SELECT lease_holder FROM schedule_sites WHERE site_key = 'www.a-slow.test'`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	_, pidText, _ := strings.Cut(holder, "/")
	pid, err := strconv.Atoi(pidText)
	if err != nil {
		t.Fatalf("lease holder %q names no process", holder)
	}
	killed := -1
	for i, p := range procs {
		if p.cmd.Process.Pid == pid {
			killed = i
		}
	}
	if killed < 0 {
		t.Fatalf("lease holder %q is none of the workers", holder)
	}
	killedAt := time.Now()
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}

	seen := map[string]int{}
	for i, p := range procs {
		err := p.cmd.Wait()
		if i == killed {
			if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
				t.Errorf("worker %d: %v, want killed", i, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("worker %d: %v\nstdout:\n%s\nstderr:\n%s", i, err, p.stdout, p.stderr)
		}
		for _, m := range storedLine.FindAllStringSubmatch(p.stdout.String(), -1) {
			seen[m[1]]++
		}
	}
	if len(seen) != scaleSites+1 {
		t.Errorf("the surviving workers stored %d sites, want %d: %v", len(seen), scaleSites+1, seen)
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s stored %d times", name, n)
		}
	}

	// The database: one whole scan per site, the slow one begun after the kill.
	var scans, keys int
	if err := raw.QueryRow(`SELECT count(*), count(DISTINCT site_key) FROM scans`).Scan(&scans, &keys); err != nil {
		t.Fatal(err)
	}
	if scans != scaleSites+1 || keys != scaleSites+1 {
		t.Errorf("database holds %d scans of %d sites, want %d of %d", scans, keys, scaleSites+1, scaleSites+1)
	}
	st, err := store.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	assertWholeScans(t, raw, st)
	latest, err := st.Latest(context.Background(), "https://www.a-slow.test/", 1)
	if err != nil || len(latest) != 1 {
		t.Fatalf("slow site: %v, %v", latest, err)
	}
	if sc := latest[0].Scan; sc.StartedAt.Before(killedAt) || len(sc.Observation.Pages) != 1 || len(sc.Inventory) != 1 {
		t.Errorf("slow site's scan began %v (kill at %v), %d pages, %d cookies; want a whole scan begun after the kill",
			sc.StartedAt, killedAt, len(sc.Observation.Pages), len(sc.Inventory))
	}

	// history, show and diff read the PostgreSQL history.
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"history", "https://www.a-slow.test/", "--db", db}, &out, &errb); code != exitOK {
		t.Errorf("history: exit %d: %s", code, errb.String())
	}
	id := strconv.FormatInt(latest[0].ID, 10)
	out.Reset()
	if code := run(context.Background(), []string{"show", id, "--db", db, "--format", "json"}, &out, &errb); code != exitOK || !json.Valid(out.Bytes()) {
		t.Errorf("show: exit %d: %s", code, errb.String())
	}
	if code := run(context.Background(), []string{"diff", "1", id, "--db", db, "--allow-different-sites"}, &out, &errb); code != exitOK {
		t.Errorf("diff: exit %d: %s", code, errb.String())
	}
}

// assertWholeScans checks every stored scan against its own JSON: one cookie
// row per cookie per state, one finding row per finding.
func assertWholeScans(t *testing.T, raw *sql.DB, st *store.Store) {
	t.Helper()
	rows, err := raw.Query(`SELECT s.id, (SELECT count(*) FROM cookies c WHERE c.scan_id = s.id),
		(SELECT count(*) FROM findings f WHERE f.scan_id = s.id) FROM scans s`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var cookies, findings int
		if err := rows.Scan(&id, &cookies, &findings); err != nil {
			t.Fatal(err)
		}
		sc, err := st.Load(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, c := range sc.Inventory {
			want += len(c.Seen)
		}
		if cookies != want || findings != len(sc.Findings)+len(sc.Baselined) {
			t.Errorf("scan %d (%s): %d cookie rows, %d finding rows; its JSON has %d and %d", id, sc.Site, cookies, findings, want, len(sc.Findings)+len(sc.Baselined))
		}
	}
}

// TestScaleStaticShards: four workers with --shard K/4 and no shared
// database cover every site exactly once, each in its own history file.
func TestScaleStaticShards(t *testing.T) {
	if _, err := chrome.FindExec(); err != nil {
		browsertest.RequireBrowser(t, err)
	}
	if testing.Short() {
		t.Skip("multi-process simulation skipped in -short mode")
	}
	e, _ := newScaleEnv(t, false)
	db := filepath.Join(e.dir, "history.db")
	var cmds []*exec.Cmd
	var outs, errs []*bytes.Buffer
	for k := range 4 {
		c, o, se := e.worker(t, "--db", db, "--shard", fmt.Sprintf("%d/4", k))
		cmds, outs, errs = append(cmds, c), append(outs, o), append(errs, se)
	}
	seen := map[string]int{}
	for k, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("shard %d/4: %v\nstdout:\n%s\nstderr:\n%s", k, err, outs[k], errs[k])
		}
		sh := schedule.Shard{Index: k, Count: 4}
		st, err := store.OpenReadOnly(context.Background(), sh.ShardPath(db))
		if err != nil {
			t.Fatal(err)
		}
		sites, err := st.Sites(context.Background())
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sites {
			seen[store.SiteKey(s)]++
			if !sh.Has(s) {
				t.Errorf("%s stored by shard %d/4, which it does not belong to", s, k)
			}
		}
		if n := len(storedLine.FindAllString(outs[k].String(), -1)); n != len(sites) {
			t.Errorf("shard %d/4 reported %d scans and stored %d", k, n, len(sites))
		}
	}
	if len(seen) != scaleSites {
		t.Errorf("the shards stored %d sites, want %d", len(seen), scaleSites)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s stored by %d shards", k, n)
		}
	}
}
