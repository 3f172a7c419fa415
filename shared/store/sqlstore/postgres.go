package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL settings for serverless: a few connections per instance (pool_max_conns in the URL
// overrides), idle connections closed quickly, and a statement timeout so no call hangs. pgx
// caches prepared statements per connection by itself.
const (
	pgMaxConns         = 4
	pgMaxConnIdleTime  = 30 * time.Second
	pgStatementTimeout = "10s"
)

// readOnly is a PostgreSQL read transaction: one snapshot for all its queries.
var readOnly = sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}

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
	// No liveness ping before reusing a connection (pgxpool and database/sql each ping one idle
	// for over a second): a round trip more before a call's own, the costliest thing deployed.
	// Idle connections are closed after pgMaxConnIdleTime instead, so a dead one is rare, and
	// a call that meets one fails and is retried by its client.
	cfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return false }
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool, stdlib.OptionShouldPing(func(context.Context, stdlib.ShouldPingParams) bool { return false }))
	return &Store{
		d:    postgresDialect(),
		ping: db.PingContext,
		close: func() error {
			err := db.Close()
			pool.Close()
			return err
		},
		begin: func(ctx context.Context, write bool) (conn, error) {
			opts := &readOnly
			if write {
				opts = nil
			}
			t, err := db.BeginTx(ctx, opts)
			if err != nil {
				return nil, err
			}
			return pgTx{t}, nil
		},
	}, nil
}

// pgTx is a database/sql transaction on PostgreSQL.
type pgTx struct{ *sql.Tx }

// Script runs a multi-statement text: pgx sends a query without arguments as a simple query.
func (t pgTx) Script(ctx context.Context, q string) error {
	_, err := t.ExecContext(ctx, q)
	return err
}
