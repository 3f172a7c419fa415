package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// SQLite settings: WAL lets readers run beside the one writer; synchronous=NORMAL makes a
// commit durable against a crash of the process (the WAL is in the OS) but not of the machine,
// which is the right trade for development and small installs (documented in docs/decisions.md).
// Write transactions BEGIN IMMEDIATE, taking the write lock up front; that matters only for a
// second process on the same file (cmd/deliveries), which busy_timeout makes wait, not fail.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)"

// SQLite runs each transaction on a connection of its own, held from BEGIN to COMMIT, with the
// connection's prepared statements kept for the next transaction (database/sql's own
// transactions would parse every statement again). There is one writer connection, so writers
// queue in Go and commit in groups (writeBatch), and a few reader connections; in memory, one
// connection does both.
func openSQLite(ctx context.Context, path string) (*Store, error) {
	if !sqliteBuilt {
		return nil, fmt.Errorf("sqlite: this binary was built without SQLite (build tag nosqlite); use postgres://")
	}
	if path == "" {
		return nil, fmt.Errorf("sqlite: empty path (use sqlite::memory: for a database in memory)")
	}
	if path == ":memory:" {
		db, err := sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(ON)")
		if err != nil {
			return nil, err
		}
		pool, err := newSQLitePool(ctx, db, 1)
		if err != nil {
			db.Close()
			return nil, err
		}
		// Reads share the writer's connection and make it read-only for their transaction.
		return sqliteStore(pool, pool, true), nil
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	name := "file:" + (&url.URL{Path: path}).EscapedPath()
	wdb, err := sql.Open("sqlite", name+"?"+sqlitePragmas)
	if err != nil {
		return nil, err
	}
	// The writer opens first: it creates the file and switches it to WAL before any reader.
	writer, err := newSQLitePool(ctx, wdb, 1)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	rdb, err := sql.Open("sqlite", name+"?"+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		writer.close()
		return nil, err
	}
	reader, err := newSQLitePool(ctx, rdb, max(4, 2*runtime.GOMAXPROCS(0)))
	if err != nil {
		writer.close()
		rdb.Close()
		return nil, err
	}
	return sqliteStore(writer, reader, false), nil
}

// sqlitePool is a fixed set of connections of one *sql.DB, handed out whole.
type sqlitePool struct {
	db     *sql.DB
	conns  chan *sqliteConn
	closed chan struct{} // closed by close: waiting for a connection then fails at once
	once   sync.Once
}

// errClosed is what a call on a closed store gets.
var errClosed = errors.New("sqlstore: the store is closed")

func newSQLitePool(ctx context.Context, db *sql.DB, n int) (*sqlitePool, error) {
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	p := &sqlitePool{db: db, conns: make(chan *sqliteConn, n), closed: make(chan struct{})}
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			p.close()
			return nil, err
		}
		p.conns <- &sqliteConn{conn: c, stmts: map[string]*sql.Stmt{}}
	}
	return p, nil
}

func (p *sqlitePool) close() error {
	p.once.Do(func() { close(p.closed) })
	for {
		select {
		case c := <-p.conns:
			for _, st := range c.stmts {
				st.Close()
			}
			c.conn.Close()
		default:
			return p.db.Close()
		}
	}
}

func (p *sqlitePool) get(ctx context.Context) (*sqliteConn, error) {
	select {
	case <-p.closed:
		return nil, errClosed
	default:
	}
	select {
	case c := <-p.conns:
		return c, nil
	case <-p.closed:
		return nil, errClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// sqliteStore is the Store over a writer pool and a reader pool (the same one in memory).
func sqliteStore(w, r *sqlitePool, sharedReader bool) *Store {
	s := &Store{d: sqliteDialect(), batch: &writeBatch{writer: w}}
	s.ping = func(ctx context.Context) error {
		c, err := w.get(ctx)
		if err != nil {
			return err
		}
		defer func() { w.conns <- c }()
		return c.conn.PingContext(ctx)
	}
	s.close = func() error {
		err := w.close()
		if r != w {
			err = errors.Join(err, r.close())
		}
		return err
	}
	// Writes go through the batch; begin serves reads.
	s.begin = func(ctx context.Context, _ bool) (conn, error) {
		c, err := r.get(ctx)
		if err != nil {
			return nil, err
		}
		t := &sqliteTx{c: c, pool: r}
		if sharedReader {
			// The connection is the writer's too: read-only for this transaction.
			t.readOnly = true
			if _, err := t.ExecContext(ctx, "PRAGMA query_only = 1"); err != nil {
				r.conns <- c
				return nil, err
			}
		}
		if _, err := t.ExecContext(ctx, "BEGIN"); err != nil {
			t.release()
			return nil, err
		}
		return t, nil
	}
	return s
}

// sqliteConn is one connection and the statements prepared on it.
type sqliteConn struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt // only its current holder touches it
}

// sqliteTx is a transaction holding a connection until Commit or Rollback.
type sqliteTx struct {
	c        *sqliteConn
	pool     *sqlitePool
	readOnly bool
	detached bool // statements ignore the caller's cancellation (see writeBatch)
	// job, in a batch of several, is the context of the job running: its statements fail
	// without running once it ends.
	job context.Context
}

// stmtCtx is the context statements run under.
func (t *sqliteTx) stmtCtx(ctx context.Context) context.Context {
	if t.detached {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (t *sqliteTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if t.job != nil {
		if err := t.job.Err(); err != nil {
			return nil, err
		}
	}
	if st, ok := t.c.stmts[q]; ok {
		return st, nil
	}
	st, err := t.c.conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	t.c.stmts[q] = st
	return st, nil
}

func (t *sqliteTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = t.stmtCtx(ctx)
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (t *sqliteTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx = t.stmtCtx(ctx)
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *sqliteTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if t.job != nil && t.job.Err() != nil {
		return t.c.conn.QueryRowContext(t.job, q, args...) // a Row carrying the job's error, not run
	}
	ctx = t.stmtCtx(ctx)
	st, err := t.stmt(ctx, q)
	if err != nil {
		// A Row carrying the error: QueryRow of an unprepared text fails the same way on Scan.
		return t.c.conn.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (t *sqliteTx) Script(ctx context.Context, q string) error {
	_, err := t.c.conn.ExecContext(t.stmtCtx(ctx), q)
	return err
}

func (t *sqliteTx) Commit() error {
	_, err := t.ExecContext(context.Background(), "COMMIT")
	if err != nil {
		t.ExecContext(context.Background(), "ROLLBACK")
	}
	t.release()
	return err
}

func (t *sqliteTx) Rollback() error {
	_, err := t.ExecContext(context.Background(), "ROLLBACK")
	t.release()
	return err
}

// release hands the connection back, writable again if the transaction made it read-only.
func (t *sqliteTx) release() {
	if t.readOnly {
		t.ExecContext(context.Background(), "PRAGMA query_only = 0")
	}
	t.pool.conns <- t.c
}
