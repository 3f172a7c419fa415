package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// statements caches the prepared statements of SQLite's one writer connection. modernc's SQLite
// otherwise parses and plans every statement on every call, which costs more than running a
// small one. A query is prepared after the first transaction that ran it ends (the connection
// is free then, so preparing cannot wait on the transaction itself); later transactions reuse
// the prepared statement on that connection. PostgreSQL needs none: pgx caches statements.
type statements struct {
	db       *sql.DB
	prepared sync.Map // query as written -> *sql.Stmt
}

// in returns q's prepared statement bound to tx, or nil when q is not prepared yet.
func (c *statements) in(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if v, ok := c.prepared.Load(q); ok {
		return tx.StmtContext(ctx, v.(*sql.Stmt))
	}
	return nil
}

// prepare prepares queries (as written, rewritten by text) that are not prepared yet. It is
// called outside any transaction; a query that fails to prepare simply stays unprepared.
func (c *statements) prepare(ctx context.Context, queries []string, text func(string) string) {
	for _, q := range queries {
		if _, ok := c.prepared.Load(q); ok {
			continue
		}
		stmt, err := c.db.PrepareContext(ctx, text(q))
		if err != nil {
			continue
		}
		if _, loaded := c.prepared.LoadOrStore(q, stmt); loaded {
			stmt.Close()
		}
	}
}

// close releases every prepared statement.
func (c *statements) close() {
	if c == nil {
		return
	}
	c.prepared.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
}
