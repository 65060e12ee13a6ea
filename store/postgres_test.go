package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cookiescan/cookiescan/internal/pgtest"
)

// TestPostgresReadOnly: a read-only open of a PostgreSQL history reads, and
// neither the store nor the server lets it write.
func TestPostgresReadOnly(t *testing.T) {
	ctx := context.Background()
	db := pgtest.Database(t)
	w, _ := openAt(t, db)
	if _, err := w.Save(ctx, testScan("https://example.com/", 3, t0)); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReadOnly(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if sums, err := r.Scans(ctx, "example.com"); err != nil || len(sums) != 1 {
		t.Fatalf("Scans read-only = %+v, %v", sums, err)
	}
	if _, err := r.Save(ctx, testScan("https://example.com/", 3, t0)); err == nil {
		t.Error("Save on a read-only store succeeded")
	}
	if _, err := r.db.ExecContext(ctx, `DELETE FROM scans`); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("the server took a write on a read-only session: %v", err)
	}
	// A schema this cookiescan has not migrated is refused, not migrated.
	if _, err := OpenReadOnly(ctx, pgtest.Database(t)); !errors.Is(err, ErrOlderSchema) {
		t.Errorf("read-only open of an empty database: %v, want the older-schema refusal", err)
	}
}

// TestPostgresURLIsRedacted: messages and Path never show the password.
func TestPostgresURLIsRedacted(t *testing.T) {
	_, err := Open(context.Background(), "postgres://u:s3cret@127.0.0.1:1/x?connect_timeout=1&sslmode=disable")
	if err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
	if _, err := Open(context.Background(), "postgres://u:s3cret@%zz/x"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("bad URL error = %v", err)
	}
}
