#!/usr/bin/env bash
# chrome-mem.sh PATTERN [INTERVAL]: samples, until interrupted, the summed
# memory of every process whose command line contains PATTERN (for example
# the TMPDIR a benchmark's Chrome profile lives in), and prints the peak of
# the sums: RSS (counts shared pages in every process) and PSS (shares them
# out, the honest total). Linux only.
set -u
pat=$1 interval=${2:-0.2}
peak_rss=0 peak_pss=0 peak_n=0
report() { echo "chrome-mem: peak $peak_n processes, RSS $((peak_rss / 1024)) MB, PSS $((peak_pss / 1024)) MB"; exit 0; }
trap report INT TERM
while :; do
	rss=0 pss=0 n=0
	for d in /proc/[0-9]*; do
		grep -qaF -- "$pat" "$d/cmdline" 2>/dev/null || continue
		read -r r p < <(awk '/^Rss:/{r=$2} /^Pss:/{p=$2} END{print r+0, p+0}' "$d/smaps_rollup" 2>/dev/null) || continue
		rss=$((rss + r)) pss=$((pss + p)) n=$((n + 1))
	done
	((rss > peak_rss)) && peak_rss=$rss
	((pss > peak_pss)) && peak_pss=$pss
	((n > peak_n)) && peak_n=$n
	sleep "$interval"
done
