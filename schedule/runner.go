package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/cookiescan/cookiescan/audit"
	"github.com/cookiescan/cookiescan/diff"
	"github.com/cookiescan/cookiescan/reports"
	"github.com/cookiescan/cookiescan/result"
	"github.com/cookiescan/cookiescan/scan"
	"github.com/cookiescan/cookiescan/store"
)

// ScanFunc scans one site. The runner bounds it with the site's timeout.
type ScanFunc func(ctx context.Context, site Site) (*result.Scan, error)

// persistGrace bounds the saving, report writing and notifying of a scan
// that finished just as a shutdown began: finishing those takes moments and
// throws away less than abandoning a complete scan would.
const persistGrace = 30 * time.Second

// Runner runs the sites of a schedule. Each site's scan goes through the
// same post-scan path as `cookiescan scan`: scan.Finish (baseline and fail
// policy), then reports.WriteFiles, then the history.
type Runner struct {
	Store *store.Store
	// Options are the scan options every site starts from; the runner sets
	// the site's URL and declaration.
	Options scan.Options
	// Scan replaces scan.Run, for tests; nil runs scan.Run with Options.
	Scan ScanFunc
	// Report shapes the human report formats.
	Report reports.Options
	// Parallel is how many scans (browsers) run at once; 1 when zero.
	Parallel int
	Webhook  Webhook
	// Holder names this worker in the leases of the store's queue; a
	// host-and-process name when empty.
	Holder string
	// Lease is how long a claimed site stays this worker's without a
	// heartbeat; DefaultLease when zero. The heartbeat renews it every
	// third of that.
	Lease time.Duration
	// Accept are rules that accept findings in every site's scan (the
	// configuration file's ignore rules), as in a scan from the CLI.
	Accept []scan.Acceptor
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives one line per run; nil discards.
	Logger *slog.Logger
}

// Outcome is what happened to one site in one run.
type Outcome struct {
	Site Site
	// ScanID is the stored scan; zero when the scan or its saving failed
	// (the reports are written all the same).
	ScanID int64
	// PreviousID is the scan compared with; zero on a site's first scan.
	PreviousID int64
	// Diff compares with the previous scan; nil on a site's first scan.
	Diff *diff.Result
	// Reports are the files written, dated ones and latest copies.
	Reports []string
	// Verdict is the site's fail policy applied after its baseline.
	Verdict scan.Verdict
	// Failed is true when the findings crossed the site's fail policy.
	Failed bool
	// Notified is true when the webhook took a notification.
	Notified bool
	// Err is why the run failed; WebhookErr why a notification was not
	// delivered (the scan is stored all the same).
	Err        error
	WebhookErr error
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Check verifies that the runner is complete and every site's formats are
// known, naming the site and the line of each problem.
func (r *Runner) Check(f *File) error {
	if r.Store == nil {
		return errors.New("schedule: runner needs a store")
	}
	var errs []error
	for i, s := range f.Sites {
		for _, fm := range s.Formats {
			if err := reports.Check([]string{fm}); err != nil {
				errs = append(errs, &Error{f.Path, s.Line, fmt.Sprintf("site %d (%s): format %q: %v", i+1, s.URL, fm, err)})
			} else if fm == "pdf" && r.Report.Print == nil {
				errs = append(errs, &Error{f.Path, s.Line, fmt.Sprintf("site %d (%s): format %q: %v", i+1, s.URL, fm, reports.ErrNoPrinter)})
			}
		}
	}
	return invalid(errs)
}

// Due returns the sites that should be scanned at now: those never scanned,
// and those whose cron fired after their last stored scan began. The store
// is the memory, so a `--once` run from cron or a Kubernetes CronJob that
// was skipped or ran late catches up on its next start.
func (r *Runner) Due(ctx context.Context, sites []Site, now time.Time) ([]Site, error) {
	var due []Site
	for _, s := range sites {
		last, ok, err := r.Store.LastScan(ctx, s.URL)
		if err != nil {
			return nil, fmt.Errorf("schedule: is %s due: %w", s.Name, err)
		}
		if !ok || !s.Schedule.Next(last).After(now) {
			due = append(due, s)
		}
	}
	return due, nil
}

// RunOnce runs every site that is due now, at most Parallel at a time, and
// returns an outcome per site run, in schedule order. The error is for
// problems that stop the whole run; a site's failure is in its outcome.
//
// Sites are claimed from the store's queue (see store.Claim), so any number
// of workers, in this process or others sharing the database, may run the
// same schedule at once: each due site is scanned by one of them. A worker
// with nothing left to claim waits while other workers hold due sites, and
// takes over the site of one that stops renewing its lease (it died).
func (r *Runner) RunOnce(ctx context.Context, f *File) ([]Outcome, error) {
	if err := r.Check(f); err != nil {
		return nil, err
	}
	q := make([]store.QueueSite, len(f.Sites))
	order := map[string]int{}
	for i, s := range f.Sites {
		q[i] = store.QueueSite{Key: store.SiteKey(s.URL), Cron: s.Cron}
		order[q[i].Key] = i
	}
	if err := r.Store.SyncQueue(ctx, q); err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	dueBy := r.now()
	var mu sync.Mutex
	var outs []Outcome
	var firstErr error
	var wg sync.WaitGroup
	for range max(r.Parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := r.drain(ctx, f, order, dueBy, func(o Outcome) {
				mu.Lock()
				outs = append(outs, o)
				mu.Unlock()
			})
			mu.Lock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.SliceStable(outs, func(i, j int) bool {
		return order[store.SiteKey(outs[i].Site.URL)] < order[store.SiteKey(outs[j].Site.URL)]
	})
	return outs, firstErr
}

// DefaultLease is how long a claimed site is held without a heartbeat.
const DefaultLease = 2 * time.Minute

func (r *Runner) lease() time.Duration {
	if r.Lease > 0 {
		return r.Lease
	}
	return DefaultLease
}

func (r *Runner) holder() string {
	if r.Holder != "" {
		return r.Holder
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}

// drain claims and runs due sites one at a time until none is left to
// claim and no other worker holds one.
func (r *Runner) drain(ctx context.Context, f *File, order map[string]int, dueBy time.Time, done func(Outcome)) error {
	decide := func(key string, last time.Time, scanned bool) (time.Time, bool) {
		i, ok := order[key]
		if !ok {
			return time.Time{}, false
		}
		if !scanned {
			return time.Time{}, true
		}
		return f.Sites[i].Schedule.Next(last), true
	}
	// noneLeased: the last look found no site held by another worker. The
	// worker stops only when a claim after such a look finds nothing: a
	// lease that runs out between the claim and the look must not leave
	// its site unscanned.
	noneLeased := false
	for ctx.Err() == nil {
		l, err := r.Store.Claim(ctx, store.Claim{Holder: r.holder(), DueBy: dueBy, Now: r.now(), For: r.lease(), Decide: decide})
		if err != nil {
			return fmt.Errorf("schedule: %w", err)
		}
		if l != nil {
			noneLeased = false
			done(r.runClaimed(ctx, f.Sites[order[l.Key]], l))
			continue
		}
		if noneLeased {
			return nil
		}
		n, first, err := r.Store.LeasedDue(ctx, dueBy, r.now())
		if err != nil {
			return fmt.Errorf("schedule: %w", err)
		}
		if n == 0 {
			noneLeased = true
			continue
		}
		// Other workers hold due sites: look again when the first lease
		// could run out, or sooner, since a holder may finish first.
		wait := min(max(first.Sub(r.now()), 100*time.Millisecond), r.lease()/3)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	return nil
}

// runClaimed runs a claimed site while a heartbeat renews its lease. A lost
// lease (this worker stalled past it and another took the site) stops the
// scan; a site not saved is given up for the next run.
func (r *Runner) runClaimed(ctx context.Context, s Site, l *store.Lease) Outcome {
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		t := time.NewTicker(r.lease() / 3)
		defer t.Stop()
		for {
			select {
			case <-sctx.Done():
				return
			case <-t.C:
			}
			if err := r.Store.Renew(sctx, l, r.now().Add(r.lease())); errors.Is(err, store.ErrLeaseLost) {
				cancel(err)
				return
			} else if err != nil && sctx.Err() == nil {
				r.logger().Error("schedule: heartbeat", "site", s.Name, "err", err)
			}
		}
	}()
	o := r.runSite(sctx, s, l)
	cancel(nil)
	<-beat
	if o.ScanID == 0 && !errors.Is(o.Err, store.ErrLeaseLost) {
		// Due again from now: later runs retry it, this run's workers
		// (which began earlier) do not.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), persistGrace)
		defer rcancel()
		if err := r.Store.Release(rctx, l, r.now()); err != nil {
			o.Err = errors.Join(o.Err, fmt.Errorf("%s: %w", s.Name, err))
		}
	}
	return o
}

// RunSites runs the given sites now, due or not, at most Parallel at a time.
func (r *Runner) RunSites(ctx context.Context, sites []Site) []Outcome {
	out := make([]Outcome, len(sites))
	sem := make(chan struct{}, max(r.Parallel, 1))
	var wg sync.WaitGroup
	for i, s := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i] = Outcome{Site: s, Err: fmt.Errorf("%s: not started: %w", s.Name, ctx.Err())}
				return
			}
			defer func() { <-sem }()
			out[i] = r.runSite(ctx, s, nil)
		}()
	}
	wg.Wait()
	return out
}

// Daemon runs the schedule until ctx is cancelled (SIGINT or SIGTERM in the
// CLI). Sites due at start run at once; then each runs when its cron fires.
// On cancellation the running scans are abandoned through their context;
// a scan that already finished is still saved (see persistGrace), and an
// abandoned one leaves the history as it was. Daemon returns when every
// running site has stopped.
func (r *Runner) Daemon(ctx context.Context, f *File) error {
	if err := r.Check(f); err != nil {
		return err
	}
	log := r.logger()
	sem := make(chan struct{}, max(r.Parallel, 1))
	finished := make(chan string, len(f.Sites)) // one slot per site: never blocks
	running := map[string]bool{}
	// attempted remembers failed runs, so that a site whose scan fails waits
	// for its next fire time instead of being retried in a tight loop.
	attempted := map[string]time.Time{}
	var wg sync.WaitGroup
	for {
		now := r.now()
		due, err := r.Due(ctx, f.Sites, now)
		if err != nil && ctx.Err() == nil {
			log.Error("schedule: checking what is due", "err", err)
		}
		for _, s := range due {
			if running[s.Name] {
				continue
			}
			if at, ok := attempted[s.Name]; ok && s.Schedule.Next(at).After(now) {
				continue
			}
			running[s.Name], attempted[s.Name] = true, now
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { finished <- s.Name }()
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					return
				}
				defer func() { <-sem }()
				r.logOutcome(r.runSite(ctx, s, nil))
			}()
		}
		wake := now.Add(time.Hour)
		for _, s := range f.Sites {
			if next := s.Schedule.Next(now); next.Before(wake) {
				wake = next
			}
		}
		timer := time.NewTimer(max(wake.Sub(r.now()), time.Second))
		select {
		case <-ctx.Done():
			timer.Stop()
			log.Info("schedule: stopping; waiting for running scans to stop", "running", len(running))
			wg.Wait()
			return nil
		case name := <-finished:
			delete(running, name)
		case <-timer.C:
		}
		timer.Stop()
	}
}

func (r *Runner) logOutcome(o Outcome) {
	log := r.logger()
	switch {
	case o.Err != nil:
		log.Error("scan failed", "site", o.Site.Name, "err", o.Err)
	default:
		log.Info("scan stored", "site", o.Site.Name, "scan", o.ScanID, "reports", len(o.Reports), "failed", o.Failed, "notified", o.Notified)
	}
	if o.WebhookErr != nil {
		log.Error("webhook failed", "site", o.Site.Name, "err", o.WebhookErr)
	}
}

// scan runs the Scan hook, or scan.Run with the runner's options and the
// site's URL and declaration.
func (r *Runner) scan(ctx context.Context, s Site) (*result.Scan, error) {
	if r.Scan != nil {
		return r.Scan(ctx, s)
	}
	opts := r.Options
	opts.URL = s.URL
	if s.Declaration != "" {
		// The schedule's entry wins over --declaration for its site.
		opts.Declaration = s.Declaration
	}
	return scan.Run(ctx, opts)
}

// runSite scans one site, finishes it as the CLI does, writes its reports,
// stores it, compares it with the previous scan and notifies the webhook
// when findings changed. The reports are written before and independently
// of the history, so a history that cannot be written loses no report.
// With a lease, the scan is saved and the site given up in one transaction.
func (r *Runner) runSite(ctx context.Context, s Site, l *store.Lease) Outcome {
	o := Outcome{Site: s}
	started := r.now()
	policy := scan.Policy{FailOn: s.FailOn, Accept: r.Accept, Now: r.Now}
	if s.Baseline != "" {
		b, err := scan.ReadBaseline(s.Baseline)
		if err != nil {
			o.Err = fmt.Errorf("%s: baseline: %w", s.Name, err)
			return o
		}
		policy.Baseline = b
	}
	sctx, cancel := context.WithTimeout(ctx, s.Timeout)
	sc, err := r.scan(sctx, s)
	cancel()
	if err == nil && sc == nil {
		err = errors.New("the scan returned no result")
	}
	if err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, store.ErrLeaseLost) {
			err = cause
		}
		// A result that comes with an error is not stored: the history
		// keeps complete scans only.
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("%w (the site's timeout is %s; raise timeout: in the schedule)", err, s.Timeout)
		}
		o.Err = fmt.Errorf("%s: scan %s: %w", s.Name, s.URL, err)
		return o
	}
	if sc.StartedAt.IsZero() {
		sc.StartedAt = started
	}
	o.Verdict = scan.Finish(sc, policy)
	o.Failed = o.Verdict.Failed()

	// Reports: a dated file that is never overwritten by a later run, and a
	// <name>-latest copy for dashboards and links.
	stamp := sc.StartedAt.UTC().Format("20060102T150405Z")
	var errs []error
	o.Reports, err = reports.WriteFiles(s.Output, []string{s.Name + "-" + stamp, s.Name + "-latest"}, s.Formats, sc, r.Report)
	if err != nil {
		errs = append(errs, fmt.Errorf("reports: %w", err))
	}

	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), persistGrace)
	defer cancel()
	prev, err := r.Store.Latest(pctx, s.URL, 1)
	if err == nil && l != nil {
		o.ScanID, err = r.Store.SaveLeased(pctx, sc, l, s.Schedule.Next(sc.StartedAt))
	} else if err == nil {
		o.ScanID, err = r.Store.Save(pctx, sc)
	}
	if err != nil {
		o.Err = fmt.Errorf("%s: %d reports written, but the scan was not saved in the history: %w", s.Name, len(o.Reports), errors.Join(append(errs, err)...))
		return o
	}
	if len(errs) > 0 {
		o.Err = fmt.Errorf("%s: scan %d stored, but: %w", s.Name, o.ScanID, errors.Join(errs...))
	}

	// A first scan is compared with nothing, so its findings count as new:
	// whoever watches the webhook learns about a site's problems at once.
	base := &result.Scan{}
	if len(prev) > 0 {
		base, o.PreviousID = prev[0].Scan, prev[0].ID
	}
	d := diff.Diff(base, sc)
	if len(prev) > 0 {
		d.A.ID, d.B.ID = o.PreviousID, o.ScanID
		o.Diff = &d
	}
	if s.Webhook != "" && d.FindingsChanged() {
		n := Notification{
			Event: "findings-changed", Site: s.URL, Name: s.Name, ScanID: o.ScanID, PreviousScanID: o.PreviousID,
			ScannedAt: sc.StartedAt, NewFindings: d.NewFindings, Resolved: d.ResolvedFindings,
			Findings: countBySeverity(sc.Findings), Failed: o.Failed,
		}
		if o.WebhookErr = r.Webhook.Post(pctx, s.Webhook, n); o.WebhookErr == nil {
			o.Notified = true
		}
	}
	return o
}

func countBySeverity(fs []audit.Finding) map[string]int {
	out := map[string]int{}
	for _, f := range fs {
		out[f.Severity.String()]++
	}
	return out
}
