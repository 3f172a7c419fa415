// Package webhookdispatch is the timer-triggered function that drains the outbox on Lambda and
// SCF, where nothing runs between requests: each tick attempts every delivery that is due (first
// attempts a REST call could not finish, retries on the CHAT_CALLBACK_RETRY schedule) until none
// is due or the invocation's deadline nears. Any number may run at once: leases keep them from
// sending the same delivery at the same time.
//
// Internal to this module: not a supported API for other modules.
package webhookdispatch

import (
	"context"
	"time"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/delivery"
)

// deadlineMargin is left of the invocation's deadline to record the last results.
const deadlineMargin = 3 * time.Second

// Tick drains due deliveries once.
func Tick(ctx context.Context, a *app.App) error {
	if a.Dispatcher == nil {
		a.Log.Info("webhook-dispatch: CHAT_CALLBACK_URL is empty, webhooks are off")
		return nil
	}
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-deadlineMargin))
		defer cancel()
	}
	n, err := a.Dispatcher.Drain(ctx)
	if n > 0 { // an idle tick (every second in HTTP mode) says nothing
		a.Log.Info("webhook-dispatch: drained", "attempted", n)
	}
	// Each tick also prunes the delivery history (CHAT_DELIVERY_RETENTION), in small batches.
	if pruned, perr := delivery.Prune(ctx, a.Store, a.Config.DeliveryRetention, a.Now()); perr != nil && ctx.Err() == nil {
		a.Log.Warn("webhook-dispatch: prune delivery history", "err", perr)
	} else if pruned > 0 {
		a.Log.Info("webhook-dispatch: pruned delivery history", "removed", pruned)
	}
	if ctx.Err() != nil {
		return nil // the deadline came first; the next tick goes on
	}
	return err
}
