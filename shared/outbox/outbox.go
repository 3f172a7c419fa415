// Package outbox writes after-webhooks in the same transaction as the change that caused them,
// so an event is delivered if and only if its change committed.
//
// Internal to this module: not a supported API for other modules.
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
	// committed is called with the order keys of the deliveries a transaction wrote, after it
	// committed; the dispatcher makes the first attempt.
	committed func(ctx context.Context, keys []string)
	now       func() time.Time
}

// New returns an Outbox over st. When enabled is false (no callback URL) events are dropped.
// committed, if not nil, receives the order keys written by each committed transaction.
func New(st store.Store, enabled bool, committed func(ctx context.Context, keys []string), now func() time.Time) *Outbox {
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
	var keys []string
	err := o.st.Update(ctx, func(tx store.Tx) error {
		keys = keys[:0]
		events := &Events{}
		if err := fn(tx, events); err != nil {
			return err
		}
		if !o.enabled {
			return nil
		}
		// EventTime is issued here, after fn took its locks, not when the call began: see
		// stamp. CreatedAt is read at the same point.
		now := o.now()
		if err := stamp(ctx, tx, events.items, now); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		// All rows of the transaction go in with set-based statements: one statement per row
		// made deleting an account with many followers cost quadratic time on SQLite.
		batch := make([]store.NewDelivery, 0, len(events.items))
		for _, ev := range events.items {
			body, err := json.Marshal(ev.body)
			if err != nil {
				return fmt.Errorf("outbox: encode %s: %w", ev.body.Command(), err)
			}
			batch = append(batch, store.NewDelivery{
				Command:   ev.body.Command(),
				Body:      body,
				ClientIP:  clientIP,
				Platform:  protocol.PlatformREST,
				OrderKey:  ev.key,
				CreatedAt: now,
			})
			keys = append(keys, ev.key)
		}
		if len(batch) == 0 {
			return nil
		}
		if _, err := tx.EnqueueAll(ctx, batch); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		return nil
	})
	if err == nil && len(keys) > 0 && o.committed != nil {
		o.committed(ctx, keys)
	}
	return err
}

// stamp sets the EventTime of every event from the store's per-key clock (wire.md section 7,
// Order: docs/wire.md). Every event concerns facts of its key only (an edge's From_Account, a
// subscription's or a profile's official account), and the store hands out a key's times under
// a lock held to commit, each strictly above the last: so for any fact, the change that commits
// later carries the strictly greater EventTime, and no two changes share a body. Events of the
// same key in one transaction are stamped in rounds (first event of each key, then the second,
// ...), so they too get increasing times, in the order they were added.
func stamp(ctx context.Context, tx store.Tx, items []event, now time.Time) error {
	round := make([]int, len(items)) // the round of each event
	seen := map[string]int{}
	rounds := 0
	for i, ev := range items {
		round[i] = seen[ev.key]
		seen[ev.key]++
		rounds = max(rounds, seen[ev.key])
	}
	for r := range rounds {
		var keys []string
		for i, ev := range items {
			if round[i] == r {
				keys = append(keys, ev.key)
			}
		}
		times, err := tx.EventTimes(ctx, keys, now)
		if err != nil {
			return err
		}
		for i := range items {
			if round[i] == r {
				items[i].body = items[i].body.WithEventTime(times[items[i].key])
			}
		}
	}
	return nil
}
