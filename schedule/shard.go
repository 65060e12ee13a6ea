package schedule

import (
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"

	"github.com/cookiescan/cookiescan/store"
)

// Shard is one of Count static shares of a schedule's sites, for workers
// that share no database: each takes the sites whose key hashes to its
// Index, and keeps its own history and reports.
type Shard struct {
	Index, Count int
}

// JobIndexEnv is the variable in which a Kubernetes Indexed Job gives each
// pod its index.
const JobIndexEnv = "JOB_COMPLETION_INDEX"

// ParseShard reads "K/N": shard K (0 ≤ K < N) of N. "/N" takes K from
// $JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets it.
func ParseShard(spec string) (Shard, error) {
	k, n, ok := strings.Cut(spec, "/")
	if !ok {
		return Shard{}, fmt.Errorf("--shard %q: want K/N, shard K (counted from 0) of N, or /N to read K from $%s", spec, JobIndexEnv)
	}
	count, err := strconv.Atoi(n)
	if err != nil || count < 1 {
		return Shard{}, fmt.Errorf("--shard %q: the shard count %q must be a whole number of at least 1", spec, n)
	}
	if k == "" {
		env, set := os.LookupEnv(JobIndexEnv)
		if !set {
			return Shard{}, fmt.Errorf("--shard %q: no shard index given and $%s is not set (it is set in a Kubernetes Indexed Job); write K/N", spec, JobIndexEnv)
		}
		k = env
	}
	index, err := strconv.Atoi(k)
	if err != nil || index < 0 || index >= count {
		return Shard{}, fmt.Errorf("--shard %q: the shard index %q must be a whole number from 0 to %d", spec, k, count-1)
	}
	return Shard{Index: index, Count: count}, nil
}

func (sh Shard) String() string { return fmt.Sprintf("%d/%d", sh.Index, sh.Count) }

// Has reports whether a site belongs to the shard: FNV-1a of its SiteKey,
// modulo the count. The hash depends on the site alone, so adding or
// removing other sites never moves a site to another shard (and another
// history); changing the count does.
func (sh Shard) Has(site string) bool {
	h := fnv.New64a()
	h.Write([]byte(store.SiteKey(site)))
	return h.Sum64()%uint64(sh.Count) == uint64(sh.Index)
}

// Select returns the schedule with only the shard's sites.
func (f *File) Select(sh Shard) *File {
	out := &File{Path: f.Path}
	for _, s := range f.Sites {
		if sh.Has(s.URL) {
			out.Sites = append(out.Sites, s)
		}
	}
	return out
}

// ShardPath gives a shard its own SQLite history next to the one named:
// history.db becomes history.shard-2-of-4.db. A PostgreSQL URL is returned
// as it is: the shards then share that database (and its queue).
func (sh Shard) ShardPath(db string) string {
	if store.IsURL(db) {
		return db
	}
	ext := ""
	if i := strings.LastIndexByte(db, '.'); i > strings.LastIndexByte(db, '/') {
		db, ext = db[:i], db[i:]
	}
	return fmt.Sprintf("%s.shard-%d-of-%d%s", db, sh.Index, sh.Count, ext)
}
