package delivery

import (
	"context"
	"log/slog"
	"time"

	"github.com/chatfollow/chatfollow/shared/store"
)

// PruneBatch is how many delivered webhooks one pruning transaction removes: small enough that
// the write lock (SQLite's single writer) is held for milliseconds between other writes.
const PruneBatch = 500

// Prune removes delivered webhooks, with their attempts, delivered longer than retention
// before now, a batch per transaction, and returns how many it removed. A retention of 0
// keeps them forever (docs/product.md, CHAT_DELIVERY_RETENTION).
func Prune(ctx context.Context, st store.Store, retention time.Duration, now time.Time) (int, error) {
	if retention <= 0 {
		return 0, nil
	}
	before := now.Add(-retention)
	total := 0
	for ctx.Err() == nil {
		var n int
		err := st.Update(ctx, func(tx store.Tx) (err error) { n, err = tx.PruneDelivered(ctx, before, PruneBatch); return err })
		total += n
		if err != nil || n < PruneBatch {
			return total, err
		}
	}
	return total, ctx.Err()
}

// RunPruner prunes every interval until ctx ends, starting at once.
func RunPruner(ctx context.Context, st store.Store, retention, interval time.Duration, now func() time.Time, log *slog.Logger) {
	if retention <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := Prune(ctx, st, retention, now()); err != nil && ctx.Err() == nil {
			log.Warn("webhook: prune delivery history", "err", err)
		} else if n > 0 {
			log.Info("webhook: pruned delivery history", "removed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
