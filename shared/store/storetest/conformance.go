package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
)

// Conformance is the behaviour every store.Store implementation must have. open returns a new,
// empty store for one test; as each test has its own store, they run in parallel.
func Conformance(t *testing.T, open func(t *testing.T) store.Store) {
	for _, tc := range append(coreTests(), officialTests()...) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
}

// conformanceTest is one test of the suite, on a new, empty store.
type conformanceTest struct {
	name string
	run  func(*testing.T, store.Store)
}

// coreTests are the conformance tests of accounts, follows and the outbox.
func coreTests() []conformanceTest {
	return []conformanceTest{
		{"accounts", testAccounts},
		{"follow counts", testFollowCounts},
		{"relations", testRelations},
		{"follow pages", testFollowPages},
		{"delete account", testDeleteAccount},
		{"rollback", testRollback},
		{"view is read-only", testViewReadOnly},
		{"outbox leases", testOutboxLeases},
		{"outbox order per key", testOutboxOrder},
		{"outbox dead letters", testOutboxDead},
		{"parallel writers keep counts exact", testParallelCounts},
		{"a failing transaction rolls back alone", testFailingAlone},
		{"event clocks", testEventClocks},
		{"lease by key", testLeaseKeys},
		{"lease runs", testLeaseRuns},
	}
}

var ctx = context.Background()

func update(t *testing.T, st store.Store, fn func(store.Tx) error) {
	t.Helper()
	require.NoError(t, st.Update(ctx, fn))
}

// read returns what f reads in a View of st; an error fails the test.
func read[T any](t *testing.T, st store.Store, f func(tx store.Tx) (T, error)) T {
	t.Helper()
	var out T
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { out, err = f(tx); return err }))
	return out
}

// pluck is f of each of xs, in order; never nil.
func pluck[E, V any](xs []E, f func(E) V) []V {
	out := make([]V, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func accounts(t *testing.T, st store.Store, ids ...string) map[string]store.Account {
	t.Helper()
	return read(t, st, func(tx store.Tx) (map[string]store.Account, error) { return tx.Accounts(ctx, ids) })
}

func put(t *testing.T, st store.Store, ids ...string) {
	t.Helper()
	update(t, st, func(tx store.Tx) error {
		for _, id := range ids {
			if err := tx.PutAccount(ctx, store.Account{UserID: id, CreatedAt: time.Unix(1700000000, 0)}); err != nil {
				return err
			}
		}
		return nil
	})
}

func follow(t *testing.T, st store.Store, at int64, from string, tos ...string) []string {
	t.Helper()
	var added []string
	update(t, st, func(tx store.Tx) (err error) { added, err = tx.Follow(ctx, from, tos, time.Unix(at, 0)); return err })
	return added
}

func unfollow(t *testing.T, st store.Store, from string, tos ...string) []string {
	t.Helper()
	var removed []string
	update(t, st, func(tx store.Tx) (err error) { removed, err = tx.Unfollow(ctx, from, tos); return err })
	return removed
}

type counts struct{ following, followers, mutual int64 }

func countsOf(t *testing.T, st store.Store, id string) counts {
	t.Helper()
	a, ok := accounts(t, st, id)[id]
	require.True(t, ok, "account %s exists", id)
	return counts{a.Following, a.Followers, a.Mutual}
}

func testAccounts(t *testing.T, st store.Store) {
	created := time.Unix(1700000000, 0)
	update(t, st, func(tx store.Tx) error {
		return tx.PutAccount(ctx, store.Account{UserID: "u", Nick: "n", FaceURL: "f", ProfileSeq: 1, CreatedAt: created})
	})
	put(t, st, "v")
	follow(t, st, 1, "v", "u")
	got := accounts(t, st, "u", "missing")
	require.Len(t, got, 1)
	assert.Equal(t, store.Account{UserID: "u", Nick: "n", FaceURL: "f", ProfileSeq: 1, Followers: 1, CreatedAt: created}, got["u"])

	// Rewriting the profile keeps counts and creation time.
	update(t, st, func(tx store.Tx) error {
		return tx.PutAccount(ctx, store.Account{UserID: "u", Nick: "m", ProfileSeq: 2, CreatedAt: time.Unix(1800000000, 0)})
	})
	assert.Equal(t, store.Account{UserID: "u", Nick: "m", ProfileSeq: 2, Followers: 1, CreatedAt: created}, accounts(t, st, "u")["u"])
	assert.Empty(t, accounts(t, st))
}

func testFollowCounts(t *testing.T, st store.Store) {
	put(t, st, "a", "b", "c")
	assert.Equal(t, []string{"b", "c"}, follow(t, st, 1, "a", "b", "c"))
	assert.Empty(t, follow(t, st, 2, "a", "b"), "already followed: nothing added")
	assert.Equal(t, []string{"a"}, follow(t, st, 3, "b", "a"))
	assert.Equal(t, counts{2, 1, 1}, countsOf(t, st, "a"))
	assert.Equal(t, counts{1, 1, 1}, countsOf(t, st, "b"))
	assert.Equal(t, counts{0, 1, 0}, countsOf(t, st, "c"))

	assert.Equal(t, []string{"b"}, unfollow(t, st, "a", "x", "b", "b"))
	assert.Empty(t, unfollow(t, st, "a", "b"), "not followed: nothing removed")
	assert.Equal(t, counts{1, 1, 0}, countsOf(t, st, "a"))
	assert.Equal(t, counts{1, 0, 0}, countsOf(t, st, "b"))
}

func testRelations(t *testing.T, st store.Store) {
	put(t, st, "a", "b", "c", "d")
	follow(t, st, 1, "a", "b", "c")
	follow(t, st, 1, "b", "a")
	follow(t, st, 1, "d", "a")
	var rel map[string]store.Relation
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) {
		rel, err = tx.Relations(ctx, "a", []string{"b", "c", "d", "a", "zz"})
		return err
	}))
	assert.Equal(t, map[string]store.Relation{
		"a": {},
		"b": {Following: true, FollowedBy: true},
		"c": {Following: true},
		"d": {FollowedBy: true},
	}, rel, "every imported account listed, and only those")
}

func page(t *testing.T, st store.Store, owner string, kind store.FollowKind, after store.Position, limit int) []store.FollowEntry {
	t.Helper()
	return read(t, st, func(tx store.Tx) ([]store.FollowEntry, error) {
		return tx.FollowPage(ctx, store.PageQuery{Owner: owner, Kind: kind, After: after, Limit: limit})
	})
}

func ids(entries []store.FollowEntry) []string {
	return pluck(entries, func(e store.FollowEntry) string { return e.UserID })
}

func testFollowPages(t *testing.T, st store.Store) {
	put(t, st, "me", "p", "q", "r", "s")
	update(t, st, func(tx store.Tx) error {
		return tx.PutAccount(ctx, store.Account{UserID: "p", Nick: "Pat", FaceURL: "http://p", ProfileSeq: 3, CreatedAt: time.Unix(1, 0)})
	})
	follow(t, st, 100, "me", "p", "q") // same second: q was followed after p
	follow(t, st, 200, "me", "r")
	follow(t, st, 50, "me", "s") // an older clock reading comes last
	following := page(t, st, "me", store.Following, store.Position{}, 10)
	assert.Equal(t, []string{"r", "q", "p", "s"}, ids(following), "newest first, ties reversed by follow order")
	assert.Equal(t, store.FollowEntry{UserID: "p", Position: following[2].Position, Nick: "Pat", FaceURL: "http://p", ProfileSeq: 3}, following[2])
	assert.Equal(t, int64(100), following[2].Position.Time)

	// Keyset paging: a page after a position, and rows added or removed meanwhile do not shift it.
	first := page(t, st, "me", store.Following, store.Position{}, 2)
	assert.Equal(t, []string{"r", "q"}, ids(first))
	follow(t, st, 300, "p", "me")
	unfollow(t, st, "me", "r")
	assert.Equal(t, []string{"p", "s"}, ids(page(t, st, "me", store.Following, first[1].Position, 10)))

	// Mutual: ordered by the later of the two follows.
	follow(t, st, 150, "q", "me")
	assert.Equal(t, []string{"p", "q"}, ids(page(t, st, "me", store.Mutual, store.Position{}, 10)))
	assert.Equal(t, int64(300), page(t, st, "me", store.Mutual, store.Position{}, 1)[0].Position.Time)
	assert.Equal(t, []string{"p", "q"}, ids(page(t, st, "me", store.Followers, store.Position{}, 10)))
	assert.Empty(t, page(t, st, "nobody", store.Following, store.Position{}, 10))
}

func testDeleteAccount(t *testing.T, st store.Store) {
	put(t, st, "gone", "x", "y", "f")
	follow(t, st, 1, "gone", "x", "y")
	follow(t, st, 2, "x", "gone")
	follow(t, st, 3, "f", "gone", "x")
	var r store.Removal
	update(t, st, func(tx store.Tx) (err error) { r, err = tx.DeleteAccount(ctx, "gone"); return err })
	assert.Equal(t, []string{"x", "y"}, r.Following)
	assert.ElementsMatch(t, []string{"x", "f"}, r.Followers)
	assert.Empty(t, accounts(t, st, "gone"))
	assert.Equal(t, counts{0, 1, 0}, countsOf(t, st, "x"))
	assert.Equal(t, counts{0, 0, 0}, countsOf(t, st, "y"))
	assert.Equal(t, counts{1, 0, 0}, countsOf(t, st, "f"))
	err := st.Update(ctx, func(tx store.Tx) error { _, err := tx.DeleteAccount(ctx, "gone"); return err })
	assert.ErrorIs(t, err, store.ErrNotFound)

	put(t, st, "gone")
	assert.Equal(t, counts{0, 0, 0}, countsOf(t, st, "gone"), "a re-imported account starts empty")
	assert.Empty(t, page(t, st, "gone", store.Followers, store.Position{}, 10))
}

func testRollback(t *testing.T, st store.Store) {
	put(t, st, "a", "b")
	boom := errors.New("boom")
	err := st.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Follow(ctx, "a", []string{"b"}, time.Unix(1, 0)); err != nil {
			return err
		}
		if _, err := tx.Enqueue(ctx, delivery("a", 0)); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, counts{0, 0, 0}, countsOf(t, st, "a"))
	assert.Empty(t, listDeliveries(t, st, store.Pending), "the outbox row went with the change")
}

func testViewReadOnly(t *testing.T, st store.Store) {
	err := st.View(ctx, func(tx store.Tx) error {
		return tx.PutAccount(ctx, store.Account{UserID: "w", CreatedAt: time.Unix(1, 0)})
	})
	assert.Error(t, err)
	assert.Empty(t, accounts(t, st, "w"))
}

func delivery(key string, i int) store.NewDelivery {
	return store.NewDelivery{Command: "Follow.CallbackAfterFollowDelete", Body: []byte(fmt.Sprintf(`{"n":%d}`, i)),
		ClientIP: "127.0.0.1", Platform: "RESTAPI", OrderKey: key, CreatedAt: time.UnixMilli(1_700_000_000_000)}
}

func enqueue(t *testing.T, st store.Store, keys ...string) []int64 {
	t.Helper()
	var out []int64
	update(t, st, func(tx store.Tx) error {
		for i, k := range keys {
			id, err := tx.Enqueue(ctx, delivery(k, i))
			if err != nil {
				return err
			}
			out = append(out, id)
		}
		return nil
	})
	return out
}

func lease(t *testing.T, st store.Store, owner string, now time.Time, limit int) []store.Delivery {
	t.Helper()
	var out []store.Delivery
	update(t, st, func(tx store.Tx) (err error) {
		out, err = tx.LeaseDue(ctx, owner, now, now.Add(time.Minute), limit)
		return err
	})
	return out
}

func listDeliveries(t *testing.T, st store.Store, state store.DeliveryState) []store.Delivery {
	t.Helper()
	return read(t, st, func(tx store.Tx) ([]store.Delivery, error) { return tx.Deliveries(ctx, state, 100) })
}

func deliveryIDs(ds []store.Delivery) []int64 {
	return pluck(ds, func(d store.Delivery) int64 { return d.ID })
}

func testOutboxLeases(t *testing.T, st store.Store) {
	now := time.UnixMilli(1_700_000_000_000)
	ids := enqueue(t, st, "a", "b")
	got := lease(t, st, "one", now, 10)
	require.Equal(t, ids, deliveryIDs(got))
	assert.Equal(t, []byte(`{"n":0}`), got[0].Body)
	assert.Equal(t, "a", got[0].OrderKey)
	assert.Empty(t, lease(t, st, "two", now, 10), "leased deliveries are not leased again")
	assert.Equal(t, ids, deliveryIDs(lease(t, st, "two", now.Add(2*time.Minute), 10)), "an expired lease is taken over")

	// Only the lease holder records the outcome.
	update(t, st, func(tx store.Tx) error { return tx.Delivered(ctx, "one", ids) })
	assert.Len(t, listDeliveries(t, st, store.Pending), 2)
	update(t, st, func(tx store.Tx) error { return tx.Delivered(ctx, "two", ids[:1]) })
	assert.Equal(t, ids[1:], deliveryIDs(listDeliveries(t, st, store.Pending)))

	// LeaseIDs leases only the named deliveries that are leasable.
	more := enqueue(t, st, "c", "d")
	var named []store.Delivery
	later := now.Add(5 * time.Minute)
	update(t, st, func(tx store.Tx) (err error) {
		named, err = tx.LeaseIDs(ctx, "three", []int64{more[1], ids[1]}, later, later.Add(time.Minute))
		return err
	})
	assert.Equal(t, []int64{ids[1], more[1]}, deliveryIDs(named), "in id order; b's lease expired")

	var next time.Time
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { next, err = tx.NextDue(ctx); return err }))
	assert.Equal(t, now, next)
}

func testOutboxOrder(t *testing.T, st store.Store) {
	now := time.UnixMilli(1_700_000_000_000)
	ids := enqueue(t, st, "a", "a", "b")
	assert.Equal(t, []int64{ids[0], ids[2]}, deliveryIDs(lease(t, st, "one", now, 10)), "one per key, the oldest")
	// The head failing keeps the next one of its key waiting until it is retried.
	update(t, st, func(tx store.Tx) error { return tx.Failed(ctx, "one", ids[0], 1, "HTTP 500", now.Add(time.Second)) })
	assert.Empty(t, lease(t, st, "two", now, 10))
	assert.Equal(t, []int64{ids[0]}, deliveryIDs(lease(t, st, "two", now.Add(time.Second), 10)))
	update(t, st, func(tx store.Tx) error { return tx.Delivered(ctx, "two", []int64{ids[0]}) })
	assert.Equal(t, []int64{ids[1]}, deliveryIDs(lease(t, st, "two", now.Add(time.Second), 10)))
}

func testOutboxDead(t *testing.T, st store.Store) {
	now := time.UnixMilli(1_700_000_000_000)
	ids := enqueue(t, st, "a", "a")
	lease(t, st, "one", now, 10)
	update(t, st, func(tx store.Tx) error { return tx.Failed(ctx, "one", ids[0], 3, "HTTP 502", time.Time{}) })
	dead := listDeliveries(t, st, store.Dead)
	require.Len(t, dead, 1)
	assert.Equal(t, 3, dead[0].Attempts)
	assert.Equal(t, "HTTP 502", dead[0].LastError)
	assert.Equal(t, []int64{ids[1]}, deliveryIDs(lease(t, st, "two", now, 10)), "a dead letter no longer holds up its key")

	var n int
	update(t, st, func(tx store.Tx) (err error) { n, err = tx.Redeliver(ctx, 0, now.Add(time.Hour)); return err })
	assert.Equal(t, 1, n)
	revived := listDeliveries(t, st, store.Pending)
	require.Len(t, revived, 2)
	assert.Equal(t, 0, revived[0].Attempts, "a redelivered letter starts its schedule afresh")
	assert.Empty(t, listDeliveries(t, st, store.Dead))
	update(t, st, func(tx store.Tx) (err error) { n, err = tx.Redeliver(ctx, ids[0], now); return err })
	assert.Zero(t, n, "only dead letters are redelivered")
}

// toggleConcurrently runs 40 transactions in each of 8 goroutines (seeded by the worker and
// seed): each picks an owner and items with the worker's random source and adds or removes them
// (at random) with toggle. A transaction that fails fails the test.
func toggleConcurrently(t *testing.T, st store.Store, seed uint64, pick func(r *rand.Rand) (string, []string),
	toggle func(tx store.Tx, owner string, items []string, add bool) error) {
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), seed))
			for range 40 {
				owner, items := pick(r)
				err := st.Update(ctx, func(tx store.Tx) error { return toggle(tx, owner, items, r.IntN(2) == 0) })
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
}

// testParallelCounts runs follows and unfollows over a few accounts from many goroutines and
// checks that every count equals the edges.
func testParallelCounts(t *testing.T, st store.Store) {
	names := []string{"a", "b", "c", "d", "e"}
	put(t, st, names...)
	toggleConcurrently(t, st, 7, func(r *rand.Rand) (string, []string) {
		from := names[r.IntN(len(names))]
		var tos []string
		for _, n := range names {
			if n != from && r.IntN(2) == 0 {
				tos = append(tos, n)
			}
		}
		return from, tos
	}, func(tx store.Tx, from string, tos []string, add bool) (err error) {
		if add {
			_, err = tx.Follow(ctx, from, tos, time.Unix(1, 0))
		} else {
			_, err = tx.Unfollow(ctx, from, tos)
		}
		return err
	})
	for _, n := range names {
		following := len(page(t, st, n, store.Following, store.Position{}, 100))
		followers := len(page(t, st, n, store.Followers, store.Position{}, 100))
		mutual := len(page(t, st, n, store.Mutual, store.Position{}, 100))
		assert.Equal(t, counts{int64(following), int64(followers), int64(mutual)}, countsOf(t, st, n), "counts of %s equal its edges", n)
	}
}

// testFailingAlone runs concurrent transactions of which every other one fails (or panics):
// the failures leave nothing behind and the others all commit.
func testFailingAlone(t *testing.T, st store.Store) {
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.Update(ctx, func(tx store.Tx) error {
				if err := tx.PutAccount(ctx, store.Account{UserID: fmt.Sprintf("u%d", i), CreatedAt: time.Unix(1, 0)}); err != nil {
					return err
				}
				switch i % 4 {
				case 1:
					return fmt.Errorf("job %d fails", i)
				case 3:
					if _, err := tx.Enqueue(ctx, delivery("k", i)); err != nil {
						return err
					}
					return fmt.Errorf("job %d fails after writing the outbox", i)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		got := accounts(t, st, fmt.Sprintf("u%d", i))
		if i%2 == 1 {
			assert.ErrorContains(t, err, fmt.Sprintf("job %d fails", i))
			assert.Empty(t, got, "failed job %d left nothing", i)
		} else {
			assert.NoError(t, err)
			assert.Len(t, got, 1, "job %d committed", i)
		}
	}
	assert.Empty(t, listDeliveries(t, st, store.Pending))
}

// testEventClocks: each key's EventTime is max(now, last + 1), per key, kept when the clock steps
// back, and forgotten with a rolled-back transaction.
func testEventClocks(t *testing.T, st store.Store) {
	at := time.UnixMilli(1702018343678)
	stamp := func(now time.Time, keys ...string) map[string]int64 {
		var out map[string]int64
		update(t, st, func(tx store.Tx) (err error) { out, err = tx.EventTimes(ctx, keys, now); return err })
		return out
	}
	assert.Equal(t, map[string]int64{"a": 1702018343678, "b": 1702018343678}, stamp(at, "b", "a"))
	assert.Equal(t, map[string]int64{"a": 1702018343679}, stamp(at, "a"), "same millisecond: +1")
	assert.Equal(t, map[string]int64{"a": 1702018343680, "c": 1702018342678}, stamp(at.Add(-time.Second), "a", "c"), "the clock stepped back")
	assert.Equal(t, map[string]int64{"b": 1702018345678}, stamp(at.Add(2*time.Second), "b"), "later: the clock")
	err := st.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.EventTimes(ctx, []string{"a"}, at); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	require.Error(t, err)
	assert.Equal(t, map[string]int64{"a": 1702018343681}, stamp(at, "a"), "a rolled-back stamp is not kept")
}

// testLeaseKeys: LeaseKeys leases the first pending delivery of each key asked for, only when it
// is unleased and due.
func testLeaseKeys(t *testing.T, st store.Store) {
	now := time.UnixMilli(1702018343678)
	var ids []int64
	update(t, st, func(tx store.Tx) error {
		for i, k := range []string{"a", "b", "a", "c"} {
			d := delivery(k, i)
			d.CreatedAt = now
			id, err := tx.Enqueue(ctx, d)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	leaseKeys := func(owner string, keys ...string) []int64 {
		var out []store.Delivery
		update(t, st, func(tx store.Tx) (err error) {
			out, err = tx.LeaseKeys(ctx, owner, keys, now, now.Add(time.Minute))
			return err
		})
		return deliveryIDs(out)
	}
	assert.Equal(t, []int64{ids[0], ids[1]}, leaseKeys("one", "a", "b"), "the first of each key")
	assert.Empty(t, leaseKeys("two", "a", "b"), "leased already: nothing")
	update(t, st, func(tx store.Tx) error { return tx.Delivered(ctx, "one", []int64{ids[0]}) })
	assert.Equal(t, []int64{ids[2], ids[3]}, leaseKeys("two", "a", "c", "nobody"), "the next of a once the first is acknowledged")
}

// testLeaseRuns: LeaseRuns leases a key's head and the deliveries right behind it, up to limit,
// only when it could lease the head; Release makes leased deliveries leasable again at once.
func testLeaseRuns(t *testing.T, st store.Store) {
	now := time.UnixMilli(1702018343678)
	var ids []int64
	update(t, st, func(tx store.Tx) error {
		for i, k := range []string{"a", "a", "b", "a", "a", "a"} {
			d := delivery(k, i)
			d.CreatedAt = now
			id, err := tx.Enqueue(ctx, d)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	leaseRuns := func(owner string, limit int, keys ...string) []int64 {
		var out []store.Delivery
		update(t, st, func(tx store.Tx) (err error) {
			out, err = tx.LeaseRuns(ctx, owner, keys, now, now.Add(time.Minute), limit)
			return err
		})
		return deliveryIDs(out)
	}
	assert.Equal(t, []int64{ids[0], ids[1], ids[3]}, leaseRuns("one", 3, "a"), "the head and the two right behind it")
	assert.Equal(t, []int64{ids[2]}, leaseRuns("two", 10, "a", "b"), "a's head is held: nothing of a, not even behind the run")
	update(t, st, func(tx store.Tx) error {
		if err := tx.Delivered(ctx, "one", []int64{ids[0], ids[1]}); err != nil {
			return err
		}
		return tx.Release(ctx, "one", []int64{ids[3]}, now)
	})
	assert.Equal(t, []int64{ids[3], ids[4], ids[5]}, leaseRuns("two", 10, "a"), "released: leasable at once, in id order")
}
