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
)

// migrations holds the server's schema (accounts, follows, official accounts, the outbox) and
// receiverMigrations the receivers' (event log and mirror): two sets, each with its own
// version table, so a receiver's database gets only its tables and both sets coexist on one
// database (the local server's default). In each set, one folder per dialect, files named
// <version>_<what>.sql and applied in version order, each once; the pending ones of a start-up
// in one transaction.
//
//go:embed migrations
var migrations embed.FS

//go:embed receivermigrations
var receiverMigrations embed.FS

// migrationSet is one set of migrations and where its applied versions are kept.
type migrationSet struct {
	files fs.FS
	dir   string // the set's folder in files; the dialect's name is below it
	table string // the table of applied versions
	// lock is the PostgreSQL advisory-lock key that serializes migrations of many functions
	// starting at once; SQLite's BEGIN IMMEDIATE does the same.
	lock int64
}

var (
	serverSchema   = migrationSet{files: migrations, dir: "migrations", table: "schema_migrations", lock: 7_404_001}
	receiverSchema = migrationSet{files: receiverMigrations, dir: "receivermigrations", table: "receiver_schema_migrations", lock: 7_404_002}
)

func (s *Store) migrate(ctx context.Context, set migrationSet) error {
	dir := set.dir + "/" + s.d.name
	entries, err := fs.ReadDir(set.files, dir)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	versions := make([]int64, len(entries))
	for i, e := range entries {
		if versions[i], err = strconv.ParseInt(strings.SplitN(e.Name(), "_", 2)[0], 10, 64); err != nil {
			return fmt.Errorf("migration %s: name must start with a version number", e.Name())
		}
	}
	// A cold start on an up-to-date schema only reads the applied versions: no lock, no DDL.
	// (A database may list versions the set no longer has: 3 was the receivers' before they got
	// their own set.)
	var done map[int64]bool
	if s.run(ctx, false, func(t *tx) (err error) { done, err = applied(ctx, t, set.table); return err }) == nil && all(done, versions) {
		return nil
	}
	return s.update(ctx, func(t *tx) error {
		if s.d.name == "postgres" {
			if _, err := t.exec(ctx, "SELECT pg_advisory_xact_lock($1)", set.lock); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS `+set.table+` (
			version    BIGINT PRIMARY KEY,
			name       TEXT   NOT NULL,
			applied_at BIGINT NOT NULL)`); err != nil {
			return err
		}
		done, err := applied(ctx, t, set.table)
		if err != nil {
			return err
		}
		for i, e := range entries {
			version := versions[i]
			if done[version] {
				continue
			}
			body, err := fs.ReadFile(set.files, dir+"/"+e.Name())
			if err != nil {
				return err
			}
			if err := t.c.Script(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", e.Name(), err)
			}
			if _, err := t.exec(ctx, "INSERT INTO "+set.table+" (version, name, applied_at) VALUES ($1, $2, $3)",
				version, e.Name(), time.Now().Unix()); err != nil {
				return err
			}
		}
		return nil
	})
}

// all reports whether every one of versions is done.
func all(done map[int64]bool, versions []int64) bool {
	for _, v := range versions {
		if !done[v] {
			return false
		}
	}
	return true
}

// applied reads the versions of table already applied.
func applied(ctx context.Context, t *tx, table string) (map[int64]bool, error) {
	rows, err := t.query(ctx, "SELECT version FROM "+table)
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
