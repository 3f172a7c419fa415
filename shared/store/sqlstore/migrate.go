package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

// migrations holds the schema, one folder per dialect, files named <version>_<what>.sql and
// applied in version order, each once; the pending ones of a start-up in one transaction.
//
//go:embed migrations
var migrations embed.FS

// migrationLock is the PostgreSQL advisory-lock key that serializes migrations of many
// functions starting at once; SQLite's BEGIN IMMEDIATE does the same.
const migrationLock = 7_404_001

func (s *Store) migrate(ctx context.Context) error {
	dir := "migrations/" + s.d.name
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	// A cold start on an up-to-date schema only reads the applied versions: no lock, no DDL.
	var done map[int64]bool
	if s.View(ctx, func(stx store.Tx) (err error) { done, err = applied(ctx, stx.(*tx)); return err }) == nil && len(done) == len(entries) {
		return nil
	}
	return s.Update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		if s.d.name == "postgres" {
			if _, err := t.exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    BIGINT PRIMARY KEY,
			name       TEXT   NOT NULL,
			applied_at BIGINT NOT NULL)`); err != nil {
			return err
		}
		done, err := applied(ctx, t)
		if err != nil {
			return err
		}
		for _, e := range entries {
			version, err := strconv.ParseInt(strings.SplitN(e.Name(), "_", 2)[0], 10, 64)
			if err != nil {
				return fmt.Errorf("migration %s: name must start with a version number", e.Name())
			}
			if done[version] {
				continue
			}
			body, err := migrations.ReadFile(dir + "/" + e.Name())
			if err != nil {
				return err
			}
			if err := t.c.Script(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", e.Name(), err)
			}
			if _, err := t.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				version, e.Name(), time.Now().Unix()); err != nil {
				return err
			}
		}
		return nil
	})
}

// applied reads the versions already applied.
func applied(ctx context.Context, t *tx) (map[int64]bool, error) {
	rows, err := t.query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	done := map[int64]bool{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rows.Err()
}
