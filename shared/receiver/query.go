package receiver

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/store"
)

// The mirror's queries, for the app's own code (a policy handler, an API of the app). Each
// reads one consistent snapshot. Absent facts are listed too (Present false): they are
// tombstones that keep older events from bringing a fact back, with the EventTime that ended it.

// Follows lists the follow edges from account from ("" for every account), ordered by (From, To).
func (r *Receiver) Follows(ctx context.Context, from string) ([]store.MirrorFollow, error) {
	return view(ctx, r, func(tx store.ReceiverTx) ([]store.MirrorFollow, error) { return tx.MirrorFollows(ctx, from) })
}

// Following reports whether the mirror has from following to.
func (r *Receiver) Following(ctx context.Context, from, to string) (bool, error) {
	follows, err := r.Follows(ctx, from)
	if err != nil {
		return false, err
	}
	for _, f := range follows {
		if f.To == to {
			return f.Present, nil
		}
	}
	return false, nil
}

// Subscriptions lists the subscriptions to official account official ("" for every one),
// ordered by (Official, Subscriber).
func (r *Receiver) Subscriptions(ctx context.Context, official string) ([]store.MirrorSubscription, error) {
	return view(ctx, r, func(tx store.ReceiverTx) ([]store.MirrorSubscription, error) {
		return tx.MirrorSubscriptions(ctx, official)
	})
}

// OfficialAccounts lists every official account of the mirror, ordered by ID.
func (r *Receiver) OfficialAccounts(ctx context.Context) ([]store.MirrorOfficialAccount, error) {
	return view(ctx, r, func(tx store.ReceiverTx) ([]store.MirrorOfficialAccount, error) {
		return tx.MirrorOfficialAccounts(ctx)
	})
}

// Events lists events of the log (see store.EventQuery).
func (r *Receiver) Events(ctx context.Context, q store.EventQuery) ([]store.ReceivedEvent, error) {
	return view(ctx, r, func(tx store.ReceiverTx) ([]store.ReceivedEvent, error) { return tx.ReceivedEvents(ctx, q) })
}

func view[T any](ctx context.Context, r *Receiver, read func(store.ReceiverTx) ([]T, error)) ([]T, error) {
	var out []T
	err := r.store.View(ctx, func(tx store.ReceiverTx) (err error) {
		out, err = read(tx)
		return err
	})
	return out, err
}
