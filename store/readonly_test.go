package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dirState is what a read-only open must not change: the names in the
// folder and the database file's bytes.
func dirState(t *testing.T, dir, db string) ([]string, [32]byte) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	return names, sha256.Sum256(b)
}

// TestOpenReadOnly reads a history whose file is 0444 in a 0555 folder, in
// the rollback-journal mode a copied or archived file may have: no WAL
// switch, no migration, no new file, and the scans load. (Run as root, the
// permissions do not bite; the unchanged folder and bytes still show that
// nothing was written.)
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "history.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Save(ctx, testScan("https://www.example.com/", 3, t0))
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // checkpoints the WAL: only history.db stays
	raw := rawDB(t, path)
	if _, err := raw.Exec(`PRAGMA journal_mode=DELETE`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	names, sum := dirState(t, dir, path)

	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := ro.Scans(ctx, "www.example.com")
	if err != nil || len(sums) != 1 || sums[0].ID != id {
		t.Fatalf("Scans = %+v, %v; want scan %d", sums, err, id)
	}
	sc, err := ro.Load(ctx, id)
	if err != nil || len(sc.Inventory) != 3 {
		t.Fatalf("Load = %v; want 3 cookies", err)
	}
	if _, err := ro.Save(ctx, sc); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Save on a read-only store: %v, want a read-only error", err)
	}
	ro.Close()
	if n, h := dirState(t, dir, path); !slices.Equal(n, names) || h != sum {
		t.Errorf("read-only use changed the folder: %v -> %v (file changed: %v)", names, n, h != sum)
	}
}

func TestOpenReadOnlyRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := OpenReadOnly(ctx, filepath.Join(dir, "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("OpenReadOnly created the missing file")
	}
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte(strings.Repeat("not a database\n", 100)), 0o644)
	if _, err := OpenReadOnly(ctx, notDB); err == nil || !strings.Contains(err.Error(), "not a database") {
		t.Errorf("text file: %v, want 'not a database'", err)
	}
	future := filepath.Join(dir, "future.db")
	db := rawDB(t, future)
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := OpenReadOnly(ctx, future); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("schema 99: %v, want ErrNewerSchema", err)
	}
}

// TestOpenReadOnlyOlderSchema: a read-only open does not migrate a history
// from an older cookiescan; it says so with ErrOlderSchema, and the file is
// untouched, so that a writable Open can still upgrade it.
func TestOpenReadOnlyOlderSchema(t *testing.T) {
	ctx := context.Background()
	fixture, err := os.ReadFile("testdata/schema_v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	db := rawDB(t, path)
	if _, err := db.Exec(string(fixture)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, sum := dirState(t, filepath.Dir(path), path)
	if _, err := OpenReadOnly(ctx, path); !errors.Is(err, ErrOlderSchema) {
		t.Fatalf("OpenReadOnly of a v1 history: %v, want ErrOlderSchema", err)
	}
	if _, h := dirState(t, filepath.Dir(path), path); h != sum {
		t.Error("OpenReadOnly changed an older history")
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly after the upgrade: %v", err)
	}
	ro.Close()
}
