package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cookiescan/cookiescan/result"
)

// The queue lets several `schedule` workers, on one host or many, share the
// sites of one schedule without scanning a site twice: a worker claims a due
// site under a lease, renews the lease while it scans (a heartbeat), and
// saves the scan and gives the site up in one transaction. A worker that
// dies stops renewing; once its lease has expired another worker claims the
// site. On PostgreSQL the claim locks the row it picks with FOR UPDATE SKIP
// LOCKED, so workers pass each other by; on SQLite the claim's immediate
// transaction holds the whole file for the moment it takes.
//
// Lease times come from the workers' clocks, which must agree to well within
// a lease (NTP does that).

// ErrLeaseLost is wrapped by the errors of a worker whose lease another
// worker has taken: it must drop its scan, which the other one redoes.
var ErrLeaseLost = errors.New("lease lost to another worker")

// QueueSite is a scheduled site as the queue knows it.
type QueueSite struct {
	// Key is the site's SiteKey.
	Key string
	// Cron is the site's schedule as written; when it changes, the site's
	// next due time is decided again.
	Cron string
}

// Lease is a worker's hold on a site.
type Lease struct {
	Key     string
	Holder  string
	Expires time.Time
}

// SyncQueue adds the sites of a schedule to the queue. A site already there
// keeps its next due time and lease unless its cron changed.
func (s *Store) SyncQueue(ctx context.Context, sites []QueueSite) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: sync queue: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	stmt, err := tx.PrepareContext(ctx, s.d.bind(`INSERT INTO schedule_sites
		(site_key, cron, next_due_at, lease_holder, lease_expires_at) VALUES (?, ?, '', '', '')
		ON CONFLICT (site_key) DO UPDATE SET cron = excluded.cron, next_due_at = ''
		WHERE schedule_sites.cron <> excluded.cron`))
	if err != nil {
		return fmt.Errorf("store: sync queue: %w", err)
	}
	defer stmt.Close()
	for _, q := range sites {
		if _, err = stmt.ExecContext(ctx, q.Key, q.Cron); err != nil {
			return fmt.Errorf("store: sync queue: %s: %w", q.Key, err)
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("store: sync queue: %w", err)
	}
	return nil
}

// Claim asks for one site.
type Claim struct {
	Holder string
	// DueBy is the run's time: sites due at or before it are claimed.
	DueBy time.Time
	// Now is the lease clock; the lease runs until Now+For.
	Now time.Time
	For time.Duration
	// Decide is asked, inside the claim's transaction, about each candidate
	// with the start of its last stored scan (scanned false when none):
	// known false leaves a site this worker does not schedule to others;
	// next is when the site is due, used when the queue has not decided.
	Decide func(key string, last time.Time, scanned bool) (next time.Time, known bool)
}

// Claim leases the first due site that no live lease holds and returns it,
// or nil when there is none.
func (s *Store) Claim(ctx context.Context, c Claim) (*Lease, error) {
	if s.readOnly {
		return nil, fmt.Errorf("store: claim: %s is open read-only", s.path)
	}
	var skip []string
	for {
		l, retry, err := s.claimOne(ctx, c, &skip)
		if err != nil || !retry {
			return l, err
		}
	}
}

// claimOne looks at one candidate in one transaction; retry says the
// candidate was passed over and the next one should be tried.
func (s *Store) claimOne(ctx context.Context, c Claim, skip *[]string) (l *Lease, retry bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, fmt.Errorf("store: claim: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	q := `SELECT site_key, next_due_at FROM schedule_sites
		WHERE next_due_at <= ? AND lease_expires_at <= ?`
	args := []any{formatTime(c.DueBy), formatTime(c.Now)}
	if len(*skip) > 0 {
		q += ` AND site_key NOT IN (?` + strings.Repeat(", ?", len(*skip)-1) + `)`
		for _, k := range *skip {
			args = append(args, k)
		}
	}
	q += ` ORDER BY next_due_at, site_key LIMIT 1` + s.d.skipLocked
	var key, nextDue string
	err = tx.QueryRowContext(ctx, s.d.bind(q), args...).Scan(&key, &nextDue)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, tx.Commit()
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: claim: %w", err)
	}
	last, scanned, err := s.lastScan(ctx, tx, key)
	if err != nil {
		return nil, false, fmt.Errorf("store: claim: %w", err)
	}
	next, known := c.Decide(key, last, scanned)
	if !known {
		*skip = append(*skip, key)
		return nil, true, tx.Rollback()
	}
	if nextDue == "" && next.After(c.DueBy) {
		// Not due after all (a scan already in the history): remember when
		// it is, so that no worker asks again this run.
		if _, err = tx.ExecContext(ctx, s.d.bind(`UPDATE schedule_sites SET next_due_at = ? WHERE site_key = ?`), formatTime(next), key); err != nil {
			return nil, false, fmt.Errorf("store: claim %s: %w", key, err)
		}
		return nil, true, tx.Commit()
	}
	l = &Lease{Key: key, Holder: c.Holder, Expires: c.Now.Add(c.For)}
	if _, err = tx.ExecContext(ctx, s.d.bind(`UPDATE schedule_sites SET lease_holder = ?, lease_expires_at = ? WHERE site_key = ?`),
		l.Holder, formatTime(l.Expires), key); err != nil {
		return nil, false, fmt.Errorf("store: claim %s: %w", key, err)
	}
	if err = tx.Commit(); err != nil {
		return nil, false, fmt.Errorf("store: claim %s: %w", key, err)
	}
	return l, false, nil
}

// Renew extends a lease to until (the heartbeat). It wraps ErrLeaseLost
// when another worker holds the site now.
func (s *Store) Renew(ctx context.Context, l *Lease, until time.Time) error {
	res, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE schedule_sites SET lease_expires_at = ?
		WHERE site_key = ? AND lease_holder = ?`), formatTime(until), l.Key, l.Holder)
	if err := leaseKept(res, err); err != nil {
		return fmt.Errorf("store: renew lease on %s: %w", l.Key, err)
	}
	l.Expires = until
	return nil
}

// Release gives a site up without a scan, due again at next (the site's
// next fire time after a failed scan, so that the run does not retry it).
func (s *Store) Release(ctx context.Context, l *Lease, next time.Time) error {
	res, err := s.db.ExecContext(ctx, s.d.bind(`UPDATE schedule_sites
		SET lease_holder = '', lease_expires_at = '', next_due_at = ?
		WHERE site_key = ? AND lease_holder = ?`), formatTime(next), l.Key, l.Holder)
	if err := leaseKept(res, err); err != nil {
		return fmt.Errorf("store: release %s: %w", l.Key, err)
	}
	return nil
}

// LeasedDue counts the due sites that other workers hold under live leases,
// and says when the first of those leases runs out: a worker with nothing
// left to claim waits for them, to take over the site of one that died.
func (s *Store) LeasedDue(ctx context.Context, dueBy, now time.Time) (int, time.Time, error) {
	var n int
	var first sql.NullString
	err := s.db.QueryRowContext(ctx, s.d.bind(`SELECT count(*), min(lease_expires_at) FROM schedule_sites
		WHERE next_due_at <= ? AND lease_expires_at > ?`), formatTime(dueBy), formatTime(now)).Scan(&n, &first)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: leased sites: %w", err)
	}
	var t time.Time
	if first.Valid {
		if t, err = parseTime(first.String); err != nil {
			return 0, time.Time{}, fmt.Errorf("store: leased sites: %w", err)
		}
	}
	return n, t, nil
}

// SaveLeased saves a scan of a leased site and gives the site up, due again
// at next, in one transaction: the scan is stored whole and the site freed,
// or neither. It wraps ErrLeaseLost, storing nothing, when another worker
// took the site (this worker's lease ran out), since that one scans it.
func (s *Store) SaveLeased(ctx context.Context, sc *result.Scan, l *Lease, next time.Time) (int64, error) {
	return s.save(ctx, sc, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.bind(`UPDATE schedule_sites
			SET lease_holder = '', lease_expires_at = '', next_due_at = ?
			WHERE site_key = ? AND lease_holder = ?`), formatTime(next), l.Key, l.Holder)
		return leaseKept(res, err)
	})
}

func leaseKept(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return ErrLeaseLost
	}
	return nil
}

// lastScan is LastScan inside a transaction, by key.
func (s *Store) lastScan(ctx context.Context, q querier, key string) (time.Time, bool, error) {
	var started sql.NullString
	if err := q.QueryRowContext(ctx, s.d.bind(`SELECT max(started_at) FROM scans WHERE site_key = ?`), key).Scan(&started); err != nil {
		return time.Time{}, false, err
	}
	if !started.Valid {
		return time.Time{}, false, nil
	}
	t, err := parseTime(started.String)
	return t, err == nil, err
}
