package delivery_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/delivery"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// flaky answers HTTP 500 to the first attempt of every delivery whose key starts with "retry",
// to every attempt of those starting with "dead", and OK otherwise.
func flaky(t *testing.T) string {
	t.Helper()
	var mu sync.Mutex
	seen := map[string]bool{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		first := !seen[string(body)]
		seen[string(body)] = true
		mu.Unlock()
		if strings.Contains(string(body), `"dead`) || (strings.Contains(string(body), `"retry`) && first) {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "<b>down</b>")
			return
		}
		io.WriteString(w, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/callback"
}

type counting struct {
	mu        sync.Mutex
	attempts  map[bool]int
	delivered int
}

func (c *counting) Attempt(_ string, ok bool) { c.mu.Lock(); c.attempts[ok]++; c.mu.Unlock() }
func (c *counting) Delivered(time.Duration)   { c.mu.Lock(); c.delivered++; c.mu.Unlock() }

func TestHistoryKeepsAttemptsAndPrunes(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t, b.URL(t))
			// enqueue stamps real time: the test clock stands a minute later, so everything is due.
			clock := &testClock{now: time.Now().Add(time.Minute).Truncate(time.Millisecond)}
			s, err := webhook.NewSender(webhook.Target{URL: flaky(t), SDKAppID: 1400000000, Token: "xxxxyyyy"}, 2*time.Second, "", clock.Now)
			require.NoError(t, err)
			d := delivery.New(st, s, 2*time.Second, []time.Duration{0}, clock.Now, quiet)
			obs := &counting{attempts: map[bool]int{}}
			d.Observe(obs)
			ids := enqueue(t, st, "ok", "retry", "dead")

			_, err = d.Drain(ctx) // ok delivered; retry fails then is due again at once; dead fails twice
			require.NoError(t, err)
			for range 3 {
				_, err = d.Drain(ctx)
				require.NoError(t, err)
			}
			assert.Empty(t, pending(t, st, store.Pending))
			assert.Equal(t, map[bool]int{true: 2, false: 3}, obs.attempts)
			assert.Equal(t, 2, obs.delivered)

			var page []store.Delivery
			var stats store.DeliveryStats
			attempts := map[int64][]store.Attempt{}
			require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) {
				if page, err = tx.DeliveryPage(ctx, store.DeliveryQuery{}); err != nil {
					return err
				}
				if stats, err = tx.DeliveryStats(ctx); err != nil {
					return err
				}
				for _, id := range ids {
					if attempts[id], err = tx.Attempts(ctx, id); err != nil {
						return err
					}
				}
				return nil
			}))
			require.Len(t, page, 3)
			assert.Equal(t, []int64{ids[2], ids[1], ids[0]}, []int64{page[0].ID, page[1].ID, page[2].ID}, "newest first")
			assert.Equal(t, []store.DeliveryState{store.Dead, store.Delivered, store.Delivered}, []store.DeliveryState{page[0].State, page[1].State, page[2].State})
			assert.Equal(t, clock.Now().UnixMilli(), page[1].DeliveredAt.UnixMilli())
			assert.Equal(t, 2, page[1].Attempts)
			assert.Equal(t, store.DeliveryStats{Pending: 0, Dead: 1, Delivered: 2}, stats)

			require.Len(t, attempts[ids[0]], 1)
			ok := attempts[ids[0]][0]
			assert.Equal(t, 200, ok.Status)
			assert.Equal(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`, ok.Answer)
			assert.Empty(t, ok.Error)
			assert.Contains(t, ok.Request, "Sign=%2A%2A%2A")
			assert.NotContains(t, ok.Request, webhook.Sign("xxxxyyyy", clock.Now().Unix()))
			assert.Contains(t, ok.Request, "X-Chat-Delivery-Id: dlv_")
			require.Len(t, attempts[ids[1]], 2)
			assert.Equal(t, []int{500, 200}, []int{attempts[ids[1]][0].Status, attempts[ids[1]][1].Status})
			assert.Equal(t, "<b>down</b>", attempts[ids[1]][0].Answer)
			assert.Contains(t, attempts[ids[1]][0].Error, "HTTP 500")
			require.Len(t, attempts[ids[2]], 2, "a dead letter keeps its attempts")

			// Nothing is pruned before the retention has passed, everything delivered after.
			n, err := delivery.Prune(ctx, st, time.Hour, clock.Now().Add(time.Hour))
			require.NoError(t, err)
			assert.Equal(t, 0, n)
			n, err = delivery.Prune(ctx, st, 0, clock.Now().Add(1000*time.Hour))
			require.NoError(t, err)
			assert.Equal(t, 0, n, "0 keeps forever")
			clock.Advance(time.Hour + time.Millisecond)
			n, err = delivery.Prune(ctx, st, time.Hour, clock.Now())
			require.NoError(t, err)
			assert.Equal(t, 2, n)
			require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) {
				if page, err = tx.DeliveryPage(ctx, store.DeliveryQuery{}); err != nil {
					return err
				}
				for _, id := range ids {
					if attempts[id], err = tx.Attempts(ctx, id); err != nil {
						return err
					}
				}
				_, err = tx.Delivery(ctx, ids[0])
				assert.ErrorIs(t, err, store.ErrNotFound)
				return nil
			}))
			require.Len(t, page, 1)
			assert.Equal(t, ids[2], page[0].ID)
			assert.Empty(t, attempts[ids[0]])
			assert.Empty(t, attempts[ids[1]])
			assert.Len(t, attempts[ids[2]], 2)
		})
	}
}

func TestPruneRunsInBatches(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t, b.URL(t))
			keys := make([]string, delivery.PruneBatch+3)
			for i := range keys {
				keys[i] = "k" + string(rune('a'+i%26)) + string(rune('a'+i/26))
			}
			ids := enqueue(t, st, keys...)
			at := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
			require.NoError(t, st.Update(ctx, func(tx store.Tx) error {
				if _, err := tx.LeaseIDs(ctx, "me", ids, time.Now(), time.Now().Add(time.Minute)); err != nil {
					return err
				}
				return tx.DeliveredAt(ctx, "me", ids, at)
			}))
			n, err := delivery.Prune(ctx, st, time.Hour, at.Add(2*time.Hour))
			require.NoError(t, err)
			assert.Equal(t, delivery.PruneBatch+3, n)
			var stats store.DeliveryStats
			require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { stats, err = tx.DeliveryStats(ctx); return err }))
			assert.Equal(t, store.DeliveryStats{}, stats)
		})
	}
}

// The filters of the console's list.
func TestDeliveryPageFilters(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t, b.URL(t))
			ids := enqueue(t, st, "a", "b", "a", "c")
			require.NoError(t, st.Update(ctx, func(tx store.Tx) error {
				if _, err := tx.LeaseIDs(ctx, "me", ids[:1], time.Now(), time.Now().Add(time.Minute)); err != nil {
					return err
				}
				return tx.DeliveredAt(ctx, "me", ids[:1], time.Now())
			}))
			list := func(q store.DeliveryQuery) []int64 {
				var ds []store.Delivery
				require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { ds, err = tx.DeliveryPage(ctx, q); return err }))
				out := []int64{}
				for _, d := range ds {
					out = append(out, d.ID)
				}
				return out
			}
			assert.Equal(t, []int64{ids[3], ids[2], ids[1], ids[0]}, list(store.DeliveryQuery{}))
			assert.Equal(t, []int64{ids[2], ids[0]}, list(store.DeliveryQuery{OrderKey: "a"}))
			assert.Equal(t, []int64{ids[0]}, list(store.DeliveryQuery{States: []store.DeliveryState{store.Delivered}}))
			assert.Equal(t, []int64{ids[3], ids[2], ids[1]}, list(store.DeliveryQuery{States: []store.DeliveryState{store.Pending}}))
			assert.Equal(t, []int64{ids[1], ids[0]}, list(store.DeliveryQuery{Before: ids[2], Limit: 2}))
			assert.Equal(t, []int64{}, list(store.DeliveryQuery{Command: "nope"}))
			assert.Equal(t, []int64{ids[3]}, list(store.DeliveryQuery{Command: protocol.CallbackAfterFollowDelete, Limit: 1}))
		})
	}
}
