package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cookiescan/cookiescan/schedule"
	"github.com/cookiescan/cookiescan/store"
)

func newScheduleCmd(stdout, stderr io.Writer) *cobra.Command {
	var sf scanFlags
	var once, daemon, all bool
	var parallel int
	var shard string
	var lease time.Duration
	cmd := &cobra.Command{
		Use:   "schedule FILE",
		Short: "Scan the sites of a schedule file (YAML or TOML) when their cron expressions say",
		Long: `Scan the sites of a schedule file when their cron expressions say, store every scan in the
history database, write each site's reports into its output folder (dated files plus a
<name>-latest copy), and POST a JSON notification to the site's webhook when its findings
change.

--once scans every site that is due and exits: a site is due when it was never scanned or
when its cron fired after its last stored scan. Run it from cron or a Kubernetes CronJob.
--daemon stays running and scans each site when its cron fires; SIGINT or SIGTERM stops it,
abandoning running scans without touching the history.

The scan flags (--max-pages, --browser, …) apply to every site.

Many workers: any number of "schedule --once" processes, on one host or many, may share one
history database (PostgreSQL for many hosts: --db postgres://…). Each claims due sites under a
lease that it renews while it scans; every due site is scanned by one worker, and the site of
a worker that dies is taken over by another once its lease runs out (--lease). A worker ends
when no due site is left unclaimed and no other worker holds one.
Without a shared database, --shard K/N takes shard K (0 to N-1) of N: the sites whose key
hashes to K, with its own history file (history.db becomes history.shard-K-of-N.db); --shard /N
reads K from $JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets it. --daemon and --all
are for a single worker.

Schedule file (YAML; TOML takes the same keys with [defaults] and [[sites]]):

  defaults:
    cron: "0 3 * * 1"         # minute hour day-of-month month day-of-week, or @daily, @every 6h
    formats: [html, json]
    output: reports           # reports go to reports/<name>/
    fail_on: high             # as --fail-on: a severity and/or rule ids; --once exits 1
    baseline: accepted.json   # as --baseline: findings it lists do not count for fail_on
    timeout: 10m              # per site
  sites:
    - url: https://www.example.com/
      webhook: https://hooks.example.com/cookiescan
      max_findings: 0

Each site's scan is finished as "cookiescan scan" finishes it: the baseline first, then
fail_on and max_findings; its reports are written before it is saved in the history.

Exit codes with --once: 0 all done, 1 a site crossed fail_on or max_findings, 2 a site could
not be scanned or saved in the history (its reports are still written), or the file is invalid.`,
		Example: `  cookiescan schedule sites.yaml --once --parallel 2
  COOKIESCAN_DB=postgres://cookiescan:…@db/cookiescan cookiescan schedule sites.yaml --once
  cookiescan schedule sites.yaml --once --shard 2/4 --db /data/history.db
  cookiescan schedule sites.toml --daemon --db /var/lib/cookiescan/history.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if all && !once {
				return errors.New("--all goes with --once")
			}
			if once == daemon {
				return errors.New("choose --once (scan what is due, then exit) or --daemon (keep running)")
			}
			if parallel < 1 {
				return fmt.Errorf("--parallel %d: want at least 1", parallel)
			}
			// Check the scan flags once, before any site runs.
			opts, err := sf.options("https://example.com/")
			if err != nil {
				return err
			}
			if lease < 3*time.Second {
				return fmt.Errorf("--lease %s: want at least 3s (the heartbeat renews it every third)", lease)
			}
			f, err := schedule.Load(args[0])
			if err != nil {
				return err
			}
			path, err := sf.history.resolve()
			if err != nil {
				return err
			}
			if shard != "" {
				sh, err := schedule.ParseShard(shard)
				if err != nil {
					return err
				}
				n := len(f.Sites)
				f, path = f.Select(sh), sh.ShardPath(path)
				fmt.Fprintf(stderr, "shard %s: %d of %d sites\n", sh, len(f.Sites), n)
			}
			st, err := store.Open(ctx, path)
			if err != nil {
				return err
			}
			defer st.Close()
			r := &schedule.Runner{
				Store:    st,
				Options:  opts,
				Parallel: parallel,
				Lease:    lease,
				Webhook:  schedule.Webhook{UserAgent: "cookiescan/" + version},
				Accept:   ignoreAcceptors(ctx),
				Logger:   slog.New(slog.NewTextHandler(stderr, nil)),
			}
			if daemon {
				if err := r.Daemon(ctx, f); err != nil {
					return err
				}
				return nil
			}
			var outs []schedule.Outcome
			if all {
				if err = r.Check(f); err == nil {
					outs = r.RunSites(ctx, f.Sites)
				}
			} else {
				outs, err = r.RunOnce(ctx, f)
			}
			if err != nil {
				return err
			}
			return summarizeRuns(stdout, stderr, outs)
		},
	}
	addScanFlags(cmd, &sf)
	fl := cmd.Flags()
	fl.BoolVar(&once, "once", false, "scan every site that is due, then exit")
	fl.BoolVar(&all, "all", false, "with --once: scan every site now, due or not")
	fl.BoolVar(&daemon, "daemon", false, "keep running and scan each site when its cron fires")
	fl.IntVar(&parallel, "parallel", 1, "scan at most this many sites (browsers) at once")
	fl.StringVar(&shard, "shard", "", "scan only shard K/N of the sites (K from 0; /N takes K from $"+schedule.JobIndexEnv+"), with its own history file")
	fl.DurationVar(&lease, "lease", schedule.DefaultLease, "with several workers on one database: how long a claimed site stays a worker's without its heartbeat")
	return cmd
}

// summarizeRuns prints one line per site and picks the exit code: 2 when a
// site could not be scanned, else 1 when one crossed its thresholds.
func summarizeRuns(stdout, stderr io.Writer, outs []schedule.Outcome) error {
	if len(outs) == 0 {
		fmt.Fprintln(stdout, "No site is due.")
		return nil
	}
	var failed []string
	crossed := 0
	for _, o := range outs {
		switch {
		case o.Err != nil:
			failed = append(failed, o.Site.Name)
			fmt.Fprintf(stderr, "cookiescan: %v\n", o.Err)
		default:
			change := "first scan"
			if o.Diff != nil {
				change = fmt.Sprintf("%d new, %d resolved findings since scan %d", len(o.Diff.NewFindings), len(o.Diff.ResolvedFindings), o.PreviousID)
			}
			verdict := ""
			if o.Failed {
				verdict, crossed = " — above thresholds", crossed+1
			}
			fmt.Fprintf(stdout, "%s: scan %d stored, %d reports, %s%s\n", o.Site.Name, o.ScanID, len(o.Reports), change, verdict)
		}
		if o.WebhookErr != nil {
			fmt.Fprintf(stderr, "cookiescan: warning: %s: %v\n", o.Site.Name, o.WebhookErr)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d sites could not be scanned: %s", len(failed), len(outs), strings.Join(failed, ", "))
	}
	if crossed > 0 {
		return errFindings
	}
	return nil
}
