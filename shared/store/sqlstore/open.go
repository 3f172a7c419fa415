package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// SQLite settings: WAL lets readers run beside the one writer; synchronous=NORMAL makes a
// commit durable against a crash of the process (the WAL is in the OS) but not of the machine,
// which is the right trade for development and small installs (documented in the README).
// The writer pool has one connection, so writers queue in Go rather than on SQLite's lock, and
// BEGIN IMMEDIATE takes the write lock up front for the odd second process (cmd/deliveries).
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"

func openSQLite(path string) (*Store, error) {
	if !sqliteBuilt {
		return nil, fmt.Errorf("sqlite: this binary was built without SQLite (build tag nosqlite); use postgres://")
	}
	if path == "" {
		return nil, fmt.Errorf("sqlite: empty path (use sqlite::memory: for a database in memory)")
	}
	s := &Store{d: sqliteDialect()}
	if path == ":memory:" {
		// One connection holds the whole database; it must never be closed while the Store lives.
		db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(ON)")
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		s.writer, s.reader, s.close = db, db, db.Close
		return s, nil
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	name := "file:" + (&url.URL{Path: path}).EscapedPath()
	writer, err := sql.Open("sqlite", name+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxIdleTime(0)
	// Create the file and switch it to WAL before readers open it.
	if err := writer.Ping(); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", name+"?"+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, err
	}
	readers := max(4, 2*runtime.GOMAXPROCS(0))
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	reader.SetConnMaxIdleTime(0)
	s.writer, s.reader = writer, reader
	s.close = func() error {
		rerr := reader.Close()
		if err := writer.Close(); err != nil {
			return err
		}
		return rerr
	}
	return s, nil
}

// PostgreSQL settings for serverless: a few connections per instance (pool_max_conns in the URL
// overrides), idle connections closed quickly, and a statement timeout so no call hangs.
const (
	pgMaxConns         = 4
	pgMaxConnIdleTime  = 30 * time.Second
	pgStatementTimeout = "10s"
)

func openPostgres(ctx context.Context, rawURL string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if u, err := url.Parse(rawURL); err == nil && !u.Query().Has("pool_max_conns") {
		cfg.MaxConns = pgMaxConns
	}
	cfg.MinConns = 0
	cfg.MaxConnIdleTime = pgMaxConnIdleTime
	if _, ok := cfg.ConnConfig.RuntimeParams["statement_timeout"]; !ok {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = pgStatementTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	s := &Store{d: postgresDialect(), writer: db, reader: db}
	s.close = func() error {
		err := db.Close()
		pool.Close()
		return err
	}
	return s, nil
}
