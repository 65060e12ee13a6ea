package schedule

import (
	"fmt"
	"testing"
)

func TestParseShard(t *testing.T) {
	t.Setenv(JobIndexEnv, "3")
	for _, c := range []struct {
		spec string
		want Shard
		bad  bool
	}{
		{spec: "0/4", want: Shard{0, 4}},
		{spec: "3/4", want: Shard{3, 4}},
		{spec: "/4", want: Shard{3, 4}},
		{spec: "4/4", bad: true},
		{spec: "-1/4", bad: true},
		{spec: "1/0", bad: true},
		{spec: "2", bad: true},
		{spec: "/2", bad: true}, // index 3 from the job is out of range
	} {
		got, err := ParseShard(c.spec)
		if c.bad != (err != nil) || (!c.bad && got != c.want) {
			t.Errorf("ParseShard(%q) = %v, %v", c.spec, got, err)
		}
	}
}

// TestShardsPartition: the shards of N cover every site exactly once, and a
// site's shard depends on its key, not on how it is written.
func TestShardsPartition(t *testing.T) {
	f := &File{}
	for i := range 200 {
		f.Sites = append(f.Sites, Site{Name: fmt.Sprint(i), URL: fmt.Sprintf("https://site%d.example/", i)})
	}
	seen := map[string]int{}
	for k := range 4 {
		sel := f.Select(Shard{k, 4})
		if len(sel.Sites) < 25 {
			t.Errorf("shard %d/4 has %d of 200 sites; the hash spreads badly", k, len(sel.Sites))
		}
		for _, s := range sel.Sites {
			seen[s.URL]++
		}
	}
	for _, s := range f.Sites {
		if seen[s.URL] != 1 {
			t.Errorf("%s is in %d shards", s.URL, seen[s.URL])
		}
	}
	sh := Shard{1, 4}
	if sh.Has("https://Site7.example") != sh.Has("site7.example/") {
		t.Error("two spellings of one site fall in different shards")
	}
	if got := sh.ShardPath("/data/history.db"); got != "/data/history.shard-1-of-4.db" {
		t.Errorf("ShardPath = %q", got)
	}
	if got := sh.ShardPath("postgres://h/db"); got != "postgres://h/db" {
		t.Errorf("ShardPath of a URL = %q", got)
	}
}
