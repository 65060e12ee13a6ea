package knowncookies

import (
	"fmt"
	"os"
	"testing"
)

// lookupLoad is a mix of names a scan meets: known exact names, names that
// only a pattern matches, names in another case, and unknown names.
func lookupLoad(db *DB) (names, domains []string) {
	for i, e := range db.Entries() {
		if i%3 != 0 {
			continue
		}
		name, domain := e.Name, ""
		if len(e.Domains) > 0 {
			domain = "." + e.Domains[0]
		}
		if e.Wildcard {
			name += fmt.Sprintf("x%d", i)
		}
		names = append(names, name)
		domains = append(domains, domain)
	}
	for i := range len(names) / 3 {
		names = append(names, fmt.Sprintf("site_specific_%d", i), fmt.Sprintf("Unknown-Cookie-%d", i))
		domains = append(domains, ".example.com", "shop.example.org")
	}
	return names, domains
}

func benchDB(b *testing.B) *DB {
	b.Helper()
	d, err := loadEmbedded()
	if err != nil {
		b.Fatal(err)
	}
	ocd := openCookieDatabase(b)
	return New([][]Vendor{d.vendors}, Layer{Source: SourceEmbedded, Entries: d.entries}, Layer{Source: SourceOpenCookie, Entries: ocd})
}

// BenchmarkLookup measures lookups against the embedded database plus the
// Open Cookie Database. Run on one core: go test ./knownCookies -bench Lookup -cpu 1
func BenchmarkLookup(b *testing.B) {
	db := benchDB(b)
	names, domains := lookupLoad(db)
	b.ReportAllocs()
	b.ResetTimer()
	hits := 0
	start := cpuNow()
	for i := 0; i < b.N; i++ {
		j := i % len(names)
		if _, ok := db.Lookup(names[j], domains[j]); ok {
			hits++
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	// CPU time holds where wall time does not: on a machine shared with
	// other work.
	if end := cpuNow(); end > start {
		b.ReportMetric(float64(b.N)/(float64(end-start)/1e9), "lookups/cpu-s")
	}
	if hits == 0 {
		b.Fatal("no lookup matched")
	}
}

// TestLookupThroughput guards the 1,000,000 lookups per second the issue
// asks for. Timing tests are noisy on shared machines, so it runs only when
// asked: COOKIESCAN_PERF=1 go test ./knownCookies -run Throughput
func TestLookupThroughput(t *testing.T) {
	if testing.Short() || os.Getenv("COOKIESCAN_PERF") != "1" {
		t.Skip("set COOKIESCAN_PERF=1 to check lookup throughput")
	}
	r := testing.Benchmark(BenchmarkLookup)
	perSec := float64(r.N) / r.T.Seconds()
	t.Logf("%.0f lookups/s, %d allocs/op", perSec, r.AllocsPerOp())
	if perSec < 1e6 {
		t.Errorf("%.0f lookups/s, want at least 1,000,000", perSec)
	}
}
