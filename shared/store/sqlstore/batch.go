package sqlstore

import (
	"context"
	"fmt"
	"sync"
)

// writeBatch is group commit for SQLite's one writer connection. Each Update is a job; whoever
// gets the writer connection runs every job waiting at that moment in one transaction, each job
// inside a savepoint of its own (a job that fails is rolled back alone), and commits once. A
// commit is most of the cost of a small write on SQLite (its WAL frames and their checksums), so
// under concurrent writers this multiplies throughput; a lone writer pays two cheap statements.
//
// A job's changes are still all-or-nothing and never seen half-done; the only difference is
// that jobs in one batch become durable together.
type writeBatch struct {
	writer *sqlitePool
	mu     sync.Mutex
	queue  []*job
}

type job struct {
	ctx   context.Context
	fn    func(conn) error
	done  chan error // buffered: the leader never blocks on it
	taken bool       // a leader has it (guarded by writeBatch.mu)
}

// maxBatch bounds the jobs of one transaction, so a burst cannot hold the writer for long.
const maxBatch = 128

func (b *writeBatch) do(ctx context.Context, fn func(conn) error) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, j)
	b.mu.Unlock()
	for {
		select {
		case err := <-j.done:
			return err
		case <-b.writer.closed:
			if b.withdraw(j) {
				return errClosed
			}
			return <-j.done
		case c := <-b.writer.conns:
			b.lead(c)
			// lead ran this job unless an earlier leader had taken it; either way it is done
			// or about to be, since a leader releases the connection only after finishing.
			select {
			case err := <-j.done:
				return err
			default:
			}
		case <-ctx.Done():
			if b.withdraw(j) {
				return ctx.Err()
			}
			return <-j.done // a leader is running it: its outcome is the truth
		}
	}
}

// withdraw takes j out of the queue unless a leader has it already, and reports whether it did.
func (b *writeBatch) withdraw(j *job) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if j.taken {
		return false
	}
	for i, q := range b.queue {
		if q == j {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			break
		}
	}
	return true
}

// lead runs the waiting jobs in one transaction on c and hands c back.
func (b *writeBatch) lead(c *sqliteConn) {
	defer func() { b.writer.conns <- c }()
	b.mu.Lock()
	n := min(len(b.queue), maxBatch)
	jobs := append([]*job(nil), b.queue[:n]...)
	b.queue = b.queue[n:]
	for _, j := range jobs {
		j.taken = true
	}
	b.mu.Unlock()
	if len(jobs) == 0 {
		return
	}
	// A lone job runs without a savepoint, under its own context: its failure or interruption
	// rolls back the transaction, which is its own. Statements of a batch of several are never
	// interrupted by one job's context (an interrupted write would roll back the whole
	// transaction, other jobs' work included); the job's deadline is checked before each of its
	// statements instead, and fails the job alone.
	if len(jobs) == 1 {
		b.runAlone(c, jobs[0])
		return
	}
	t := &sqliteTx{c: c, detached: true}
	ctx := context.Background()
	if _, err := t.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		for _, j := range jobs {
			j.done <- fmt.Errorf("begin: %w", err)
		}
		return
	}
	results := make([]error, len(jobs))
	var broken error // the transaction itself failed: nothing of the batch can commit
	for i, j := range jobs {
		if broken != nil {
			results[i] = broken
			continue
		}
		results[i], broken = b.run(t, j)
	}
	var err error
	if broken != nil {
		t.ExecContext(ctx, "ROLLBACK")
		err = broken
	} else if _, err = t.ExecContext(ctx, "COMMIT"); err != nil {
		t.ExecContext(ctx, "ROLLBACK")
		err = fmt.Errorf("commit: %w", err)
	}
	for i, j := range jobs {
		if results[i] == nil {
			results[i] = err
		}
		j.done <- results[i]
	}
}

// run runs one job in a savepoint, rolling back to it when the job fails. broken reports that
// the savepoint itself could not be handled, i.e. SQLite ended the whole transaction.
func (b *writeBatch) run(t *sqliteTx, j *job) (err, broken error) {
	if err := j.ctx.Err(); err != nil {
		return err, nil
	}
	ctx := context.Background()
	if _, err := t.ExecContext(ctx, "SAVEPOINT job"); err != nil {
		return err, fmt.Errorf("transaction aborted: %w", err)
	}
	t.job = j.ctx
	defer func() { t.job = nil }()
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("store: transaction function panicked: %v", p)
			}
		}()
		err = j.fn(t)
	}()
	if err != nil {
		if _, rerr := t.ExecContext(ctx, "ROLLBACK TO job"); rerr != nil {
			return err, fmt.Errorf("transaction aborted: %w", rerr)
		}
	}
	if _, rerr := t.ExecContext(ctx, "RELEASE job"); rerr != nil {
		return err, fmt.Errorf("transaction aborted: %w", rerr)
	}
	return err, nil
}

// runAlone runs the only job of a batch as a plain transaction: no savepoint, and statements
// interrupted when its context ends.
func (b *writeBatch) runAlone(c *sqliteConn, j *job) {
	if err := j.ctx.Err(); err != nil {
		j.done <- err
		return
	}
	t := &sqliteTx{c: c}
	bg := context.Background()
	if _, err := t.ExecContext(bg, "BEGIN IMMEDIATE"); err != nil {
		j.done <- fmt.Errorf("begin: %w", err)
		return
	}
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("store: transaction function panicked: %v", p)
			}
		}()
		err = j.fn(t)
	}()
	if err == nil {
		// The deadline holds until the commit: a job whose caller gave up is not committed.
		err = j.ctx.Err()
	}
	if err != nil {
		t.ExecContext(bg, "ROLLBACK") // fails harmlessly when an interruption ended it already
		j.done <- err
		return
	}
	if _, err := t.ExecContext(bg, "COMMIT"); err != nil {
		t.ExecContext(bg, "ROLLBACK")
		j.done <- fmt.Errorf("commit: %w", err)
		return
	}
	j.done <- nil
}
