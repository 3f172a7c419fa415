// Package sqlstore implements store.Store on SQL databases: SQLite through modernc.org/sqlite
// (pure Go, the embedded default) and PostgreSQL through pgx. Both run the same queries; the few
// places where the dialects differ are spelt as tokens that each dialect rewrites once.
//
// Internal to this module: not a supported API for other modules.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

// Store is a store.Store on one SQL database.
type Store struct {
	d     dialect
	texts sync.Map // query as written -> query in the dialect
	close func() error
	ping  func(context.Context) error
	// begin opens a transaction: database/sql's on PostgreSQL, a connection of its own on SQLite.
	begin func(ctx context.Context, write bool) (conn, error)
	// batch, on SQLite, runs write transactions with group commit instead of begin.
	batch *writeBatch
}

// conn is an open transaction as the tx methods use it.
type conn interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	// Script runs several statements at once (migrations).
	Script(ctx context.Context, q string) error
	Commit() error
	Rollback() error
}

var _ store.Store = (*Store)(nil)

// Open connects to the database named by url and applies pending migrations:
//
//	sqlite:<path>        an SQLite file, created with its folder when missing
//	sqlite::memory:      an SQLite database in memory, gone when the Store closes
//	postgres://...       PostgreSQL (postgresql:// also works)
func Open(ctx context.Context, url string) (*Store, error) {
	s, err := connect(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, serverSchema); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(url), err)
	}
	return s, nil
}

// connect opens the database named by url without migrating it.
func connect(ctx context.Context, url string) (*Store, error) {
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(url, "sqlite:"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return openPostgres(ctx, url)
	}
	return nil, fmt.Errorf("database URL %q: want sqlite:<path>, sqlite::memory: or postgres://", redact(url))
}

// redact hides a password in a database URL before it is shown.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	userinfo := url[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return url[:scheme+3] + userinfo[:i] + ":***" + url[at:]
	}
	return url
}

// Close releases the database.
func (s *Store) Close() error { return s.close() }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.ping(ctx) }

// maxAttempts bounds how often Update runs a transaction that hits serialization conflicts.
const maxAttempts = 8

// Update runs fn in a read-write transaction, again after a serialization conflict.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.update(ctx, func(t *tx) error { return fn(t) })
}

func (s *Store) update(ctx context.Context, fn func(*tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.run(ctx, true, fn)
		if err == nil || attempt == maxAttempts || !s.d.retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt*attempt) * time.Millisecond):
		}
	}
}

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.run(ctx, false, func(t *tx) error { return fn(t) })
}

func (s *Store) run(ctx context.Context, write bool, fn func(*tx) error) error {
	if write && s.batch != nil {
		return s.batch.do(ctx, func(c conn) error { return fn(&tx{s: s, c: c, write: true}) })
	}
	c, err := s.begin(ctx, write)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(&tx{s: s, c: c, write: write}); err != nil {
		c.Rollback()
		return err
	}
	if err := c.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// text returns query q in the store's dialect, rewriting each query text once.
func (s *Store) text(q string) string {
	if v, ok := s.texts.Load(q); ok {
		return v.(string)
	}
	t := s.d.rewrite(q)
	s.texts.Store(q, t)
	return t
}

// tx is one transaction; it implements store.Tx.
type tx struct {
	s      *Store
	c      conn
	write  bool
	locked map[string]bool // accounts whose rows this transaction holds locked (PostgreSQL)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.c.QueryContext(ctx, t.s.text(q), args...)
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.c.ExecContext(ctx, t.s.text(q), args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.c.QueryRowContext(ctx, t.s.text(q), args...)
}

// collectStrings collects the single text column of rows.
func collectStrings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// isNoRows reports a QueryRow that found nothing.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
