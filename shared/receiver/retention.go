package receiver

import (
	"context"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

// pruneBatch bounds one pruning transaction: deliveries that arrive meanwhile wait for at most
// one batch, never for the whole backlog.
const pruneBatch = 500

// PruneEvery is how often RunRetention prunes.
const PruneEvery = time.Minute

// Prune deletes the events of the log first received more than RECEIVER_RETENTION ago, oldest
// first, in transactions of at most pruneBatch events, and returns how many it deleted. It
// does nothing when the retention is 0 (keep forever). The mirror keeps every fact with the
// EventTime that set it, so a redelivery of a pruned event, recorded again as new, changes a
// fact only if it is newer than the fact (docs/wire.md section 7, Receivers): it cannot roll
// the mirror back. (The app's after-handler does run again for it; handlers are at-least-once.)
func (r *Receiver) Prune(ctx context.Context) (int, error) {
	if r.retention == 0 {
		return 0, nil
	}
	before := r.now().Add(-r.retention)
	total := 0
	for {
		var n int
		err := r.store.Update(ctx, func(tx store.ReceiverTx) (err error) {
			n, err = tx.PruneEvents(ctx, before, pruneBatch)
			return err
		})
		total += n
		if err != nil || n < pruneBatch {
			return total, err
		}
	}
}

// RunRetention prunes now and then every PruneEvery until ctx ends; it returns at once when
// the retention is 0. Failures are logged and retried at the next round.
func (r *Receiver) RunRetention(ctx context.Context) {
	if r.retention == 0 {
		return
	}
	t := time.NewTicker(PruneEvery)
	defer t.Stop()
	for {
		if n, err := r.Prune(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("prune the receivers' event log", "err", err)
		} else if n > 0 {
			r.log.Info("pruned the receivers' event log", "events", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
