// Package sqlstore implements store.Store on SQL databases: SQLite through modernc.org/sqlite
// (pure Go, the embedded default) and PostgreSQL through pgx. Both run the same queries; the few
// places where the dialects differ are spelt as tokens that each dialect rewrites once.
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
	d      dialect
	writer *sql.DB // read-write transactions
	reader *sql.DB // read-only transactions; the same pool as writer where that is all there is
	close  func() error
	texts  sync.Map // query as written -> query in the dialect
	stmts  sync.Map // stmtKey -> *sql.Stmt, when the dialect prepares statements once
}

// stmtKey names a query prepared on one of the store's pools.
type stmtKey struct {
	db *sql.DB
	q  string
}

var _ store.Store = (*Store)(nil)

// Open connects to the database named by url and applies pending migrations:
//
//	sqlite:<path>        an SQLite file, created with its folder when missing
//	sqlite::memory:      an SQLite database in memory, gone when the Store closes
//	postgres://...       PostgreSQL (postgresql:// also works)
func Open(ctx context.Context, url string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		s, err = openSQLite(strings.TrimPrefix(url, "sqlite:"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s, err = openPostgres(ctx, url)
	default:
		return nil, fmt.Errorf("database URL %q: want sqlite:<path>, sqlite::memory: or postgres://", redact(url))
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(url), err)
	}
	return s, nil
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
func (s *Store) Close() error {
	s.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	return s.close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.writer.PingContext(ctx) }

// maxAttempts bounds how often Update runs a transaction that hits serialization conflicts.
const maxAttempts = 8

// Update runs fn in a read-write transaction, again after a serialization conflict.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.run(ctx, s.writer, nil, true, fn)
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
	return s.run(ctx, s.reader, s.d.readOptions, false, fn)
}

func (s *Store) run(ctx context.Context, db *sql.DB, opts *sql.TxOptions, write bool, fn func(store.Tx) error) error {
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{s: s, db: db, tx: sqlTx, write: write}
	defer func() {
		if len(t.unprepared) > 0 {
			s.prepare(ctx, db, t.unprepared)
		}
	}()
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
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

// prepare makes statements of queries on db, for the transactions that come after. It runs
// outside any transaction: preparing takes a connection, and SQLite's writer pool has only the
// one a transaction holds. A query that does not prepare simply stays unprepared.
func (s *Store) prepare(ctx context.Context, db *sql.DB, queries []string) {
	for _, q := range queries {
		k := stmtKey{db, q}
		if _, ok := s.stmts.Load(k); ok {
			continue
		}
		st, err := db.PrepareContext(ctx, s.text(q))
		if err != nil {
			continue
		}
		if _, loaded := s.stmts.LoadOrStore(k, st); loaded {
			st.Close()
		}
	}
}

// tx is one transaction; it implements store.Tx.
type tx struct {
	s          *Store
	db         *sql.DB // the pool tx came from
	tx         *sql.Tx
	write      bool
	unprepared []string // queries run as text, to prepare once the transaction is over
}

// stmt returns q prepared, bound to the transaction, when the dialect prepares statements
// (SQLite's driver parses every query text anew otherwise) and q has run before; else nil, and
// q is noted for preparing. database/sql prepares a statement once on each connection it runs
// on and reuses it after.
func (t *tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if !t.s.d.prepare {
		return nil
	}
	if v, ok := t.s.stmts.Load(stmtKey{t.db, q}); ok {
		return t.tx.StmtContext(ctx, v.(*sql.Stmt))
	}
	t.unprepared = append(t.unprepared, q)
	return nil
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.s.text(q), args...)
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, t.s.text(q), args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.s.text(q), args...)
}

// strings collects the single text column of rows.
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
