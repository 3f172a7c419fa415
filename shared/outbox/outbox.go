// Package outbox writes after-webhooks in the same transaction as the change that caused them,
// so an event is delivered if and only if its change committed.
package outbox

import (
	"context"
	"fmt"
	"time"

	json "github.com/go-json-experiment/json"

	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Outbox records events with their changes and hands the new deliveries to a dispatcher.
type Outbox struct {
	st      store.Store
	enabled bool
	// committed is called with the IDs of the deliveries a transaction wrote, after it
	// committed; the dispatcher makes the first attempt.
	committed func(ctx context.Context, ids []int64)
	now       func() time.Time
}

// New returns an Outbox over st. When enabled is false (no callback URL) events are dropped.
// committed, if not nil, receives the IDs written by each committed transaction.
func New(st store.Store, enabled bool, committed func(ctx context.Context, ids []int64), now func() time.Time) *Outbox {
	return &Outbox{st: st, enabled: enabled, committed: committed, now: now}
}

// Events collects the events of one transaction.
type Events struct {
	items []event
}

type event struct {
	key  string
	body protocol.CallbackBody
}

// Add records body as an after-webhook. Events with the same key (the From_Account or official
// account they concern) are delivered in the order they were added and committed.
func (e *Events) Add(key string, body protocol.CallbackBody) {
	e.items = append(e.items, event{key, body})
}

// Update runs fn in a store transaction and writes the events fn added in that same transaction,
// each carrying clientIP, the address of the REST caller whose change caused it. Once the
// transaction commits, the new deliveries are handed to the dispatcher.
func (o *Outbox) Update(ctx context.Context, clientIP string, fn func(store.Tx, *Events) error) error {
	var ids []int64
	err := o.st.Update(ctx, func(tx store.Tx) error {
		ids = ids[:0]
		events := &Events{}
		if err := fn(tx, events); err != nil {
			return err
		}
		if !o.enabled {
			return nil
		}
		now := o.now()
		for _, ev := range events.items {
			body, err := json.Marshal(ev.body)
			if err != nil {
				return fmt.Errorf("outbox: encode %s: %w", ev.body.Command(), err)
			}
			id, err := tx.Enqueue(ctx, store.NewDelivery{
				Command:   ev.body.Command(),
				Body:      body,
				ClientIP:  clientIP,
				Platform:  protocol.PlatformREST,
				OrderKey:  ev.key,
				CreatedAt: now,
			})
			if err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err == nil && len(ids) > 0 && o.committed != nil {
		o.committed(ctx, ids)
	}
	return err
}
