package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// event is the part of a follow webhook body the mirror needs.
type event struct {
	Command    string `json:"CallbackCommand"`
	From       string `json:"From_Account"`
	FollowList []struct {
		To string `json:"To_Account"`
	} `json:"FollowList"`
	To        []string `json:"To_Account"`
	EventTime int64    `json:"EventTime"`
}

type edge struct{ from, to string }

// TestEventTimeInCommitOrder hammers a few edges with follows, unfollows and account deletions
// from many goroutines, with a clock that stands still (every transaction reads the same now),
// then checks, from the outbox in id order (per key, the commit order), that every edge's
// EventTime strictly increases, that no two bodies are equal, and that a receiver keeping the
// newest EventTime per edge, fed the events in any order, ends with exactly the store's edges.
func TestEventTimeInCommitOrder(t *testing.T) {
	ctx := context.Background()
	users := []string{"a", "b", "c", "d"}
	const goroutines, ops = 8, 60
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st, err := sqlstore.Open(ctx, b.URL(t))
			require.NoError(t, err)
			t.Cleanup(func() { st.Close() })
			frozen := time.UnixMilli(1702018343678)
			ob := outbox.New(st, true, nil, func() time.Time { return frozen })
			importAll := func(tx store.Tx, ids ...string) error {
				have, err := tx.Accounts(ctx, ids)
				if err != nil {
					return err
				}
				for _, id := range ids {
					if _, ok := have[id]; !ok {
						if err := tx.PutAccount(ctx, store.Account{UserID: id, CreatedAt: frozen}); err != nil {
							return err
						}
					}
				}
				return nil
			}
			require.NoError(t, st.Update(ctx, func(tx store.Tx) error { return importAll(tx, users...) }))

			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rnd := rand.New(rand.NewPCG(uint64(g), 13))
					for range ops {
						from := users[rnd.IntN(len(users))]
						to := users[rnd.IntN(len(users))]
						if from == to {
							continue
						}
						err := ob.Update(ctx, "127.0.0.1", func(tx store.Tx, events *outbox.Events) error {
							switch r := rnd.IntN(10); {
							case r < 5:
								if err := importAll(tx, from, to); err != nil {
									return err
								}
								added, err := tx.Follow(ctx, from, []string{to}, frozen)
								if err == nil && len(added) > 0 {
									events.Add(from, protocol.NewAfterFollowAdd(from, added, frozen))
								}
								return err
							case r < 9:
								removed, err := tx.Unfollow(ctx, from, []string{to})
								if err == nil && len(removed) > 0 {
									events.Add(from, protocol.NewAfterFollowDelete(from, removed, frozen))
								}
								return err
							default: // account_delete's events (functions/account-delete)
								rm, err := tx.DeleteAccount(ctx, to)
								if errors.Is(err, store.ErrNotFound) {
									return nil
								}
								if err != nil {
									return err
								}
								if len(rm.Following) > 0 {
									events.Add(to, protocol.NewAfterFollowDelete(to, rm.Following, frozen))
								}
								for _, f := range rm.Followers {
									events.Add(f, protocol.NewAfterFollowDelete(f, []string{to}, frozen))
								}
								return nil
							}
						})
						if !assert.NoError(t, err) {
							return
						}
					}
				}()
			}
			wg.Wait()

			var ds []store.Delivery
			require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { ds, err = tx.Deliveries(ctx, store.Pending, 100000); return err }))
			require.NotEmpty(t, ds)
			bodies := map[string]bool{}
			last := map[edge]int64{}
			type fact struct {
				present bool
				at      int64
			}
			var events []event
			for _, d := range ds {
				require.False(t, bodies[d.Command+string(d.Body)], "two changes with one body: %s", d.Body)
				bodies[d.Command+string(d.Body)] = true
				var ev event
				require.NoError(t, json.Unmarshal(d.Body, &ev))
				events = append(events, ev)
				for _, e := range touched(ev) {
					require.Greater(t, ev.EventTime, last[e], "EventTime of %v does not grow in commit order: %s", e, d.Body)
					last[e] = ev.EventTime
				}
			}
			// The receiver: newest EventTime per edge wins, events in any order.
			rand.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
			mirror := map[edge]fact{}
			for _, ev := range events {
				for _, e := range touched(ev) {
					if f, ok := mirror[e]; !ok || ev.EventTime > f.at {
						mirror[e] = fact{present: ev.Command == protocol.CallbackAfterFollowAdd, at: ev.EventTime}
					}
				}
			}
			want := map[edge]bool{}
			require.NoError(t, st.View(ctx, func(tx store.Tx) error {
				for _, u := range users {
					page, err := tx.FollowPage(ctx, store.PageQuery{Owner: u, Kind: store.Following, Limit: 100})
					if err != nil {
						return err
					}
					for _, f := range page {
						want[edge{u, f.UserID}] = true
					}
				}
				return nil
			}))
			got := map[edge]bool{}
			for e, f := range mirror {
				if f.present {
					got[e] = true
				}
			}
			assert.Equal(t, want, got, "the mirror equals the store")
			t.Logf("%d events", len(ds))
		})
	}
}

// touched lists the edges an event is about.
func touched(ev event) []edge {
	var out []edge
	for _, f := range ev.FollowList {
		out = append(out, edge{ev.From, f.To})
	}
	for _, to := range ev.To {
		out = append(out, edge{ev.From, to})
	}
	if len(out) == 0 {
		panic(fmt.Sprintf("event without edges: %+v", ev))
	}
	return out
}
