package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/store"
)

// officialTests are the conformance tests of store.OfficialTx.
func officialTests() []conformanceTest {
	return []conformanceTest{
		{"official accounts", testOfficialAccounts},
		{"subscriptions and counts", testSubscriptions},
		{"subscription pages", testSubscriptionPages},
		{"destroy removes subscriptions", testDestroyOfficial},
		{"delete account removes subscriptions", testDeleteSubscriber},
		{"rollback keeps counts", testOfficialRollback},
		{"parallel writers keep SubscriberNum exact", testParallelSubscriptions},
	}
}

func putOfficial(t *testing.T, st store.Store, ids ...string) {
	t.Helper()
	update(t, st, func(tx store.Tx) error {
		for _, id := range ids {
			ok, err := tx.CreateOfficialAccount(ctx, store.OfficialAccount{ID: id, Owner: "owner", Name: "n " + id,
				MaxSubscribers: 100, CreatedAt: time.Unix(1700000000, 0)})
			if err == nil && !ok {
				err = fmt.Errorf("%s exists", id)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func official(t *testing.T, st store.Store, id string) (store.OfficialAccount, bool) {
	t.Helper()
	found := read(t, st, func(tx store.Tx) (map[string]store.OfficialAccount, error) {
		return tx.OfficialAccounts(ctx, []string{id})
	})
	oa, ok := found[id]
	return oa, ok
}

func subscribe(t *testing.T, st store.Store, oa string, subs ...string) []string {
	t.Helper()
	var added []string
	update(t, st, func(tx store.Tx) (err error) {
		added, err = tx.Subscribe(ctx, oa, subs, time.Unix(1700000100, 0))
		return err
	})
	return added
}

func unsubscribe(t *testing.T, st store.Store, oa string, subs ...string) []string {
	t.Helper()
	var removed []string
	update(t, st, func(tx store.Tx) (err error) { removed, err = tx.Unsubscribe(ctx, oa, subs); return err })
	return removed
}

func subscriberPage(t *testing.T, st store.Store, oa string, after int64, limit int) []store.Subscription {
	t.Helper()
	return read(t, st, func(tx store.Tx) ([]store.Subscription, error) { return tx.SubscriberPage(ctx, oa, after, limit) })
}

func subscribers(subs []store.Subscription) []string {
	return pluck(subs, func(s store.Subscription) string { return s.Subscriber })
}

func subscriberNum(t *testing.T, st store.Store, oa string) int64 {
	t.Helper()
	a, ok := official(t, st, oa)
	require.True(t, ok, "%s exists", oa)
	return a.Subscribers
}

func testOfficialAccounts(t *testing.T, st store.Store) {
	putOfficial(t, st, "@TOA#_a")
	a, ok := official(t, st, "@TOA#_a")
	require.True(t, ok)
	assert.Equal(t, store.OfficialAccount{ID: "@TOA#_a", Owner: "owner", Name: "n @TOA#_a", MaxSubscribers: 100,
		CreatedAt: time.Unix(1700000000, 0)}, a, "LastMsgAt stays zero")
	update(t, st, func(tx store.Tx) error {
		ok, err := tx.CreateOfficialAccount(ctx, store.OfficialAccount{ID: "@TOA#_a", Owner: "other", Name: "x", CreatedAt: time.Unix(1, 0)})
		assert.False(t, ok, "a taken ID is refused")
		return err
	})
	a.Name, a.Introduction, a.FaceURL, a.Organization, a.CustomString, a.MaxSubscribers = "N", "I", "F", "O", "C", 7
	a.Owner, a.Subscribers = "ignored", 99 // read-only fields are not written
	update(t, st, func(tx store.Tx) error { return tx.UpdateOfficialAccount(ctx, a) })
	got, _ := official(t, st, "@TOA#_a")
	assert.Equal(t, store.OfficialAccount{ID: "@TOA#_a", Owner: "owner", Name: "N", Introduction: "I", FaceURL: "F", Organization: "O",
		CustomString: "C", MaxSubscribers: 7, CreatedAt: time.Unix(1700000000, 0)}, got)
	err := st.Update(ctx, func(tx store.Tx) error {
		return tx.UpdateOfficialAccount(ctx, store.OfficialAccount{ID: "@TOA#_none", Name: "x"})
	})
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func testSubscriptions(t *testing.T, st store.Store) {
	putOfficial(t, st, "@TOA#_a", "@TOA#_b")
	assert.Equal(t, []string{"z", "x", "y"}, subscribe(t, st, "@TOA#_a", "z", "x", "y", "x"), "in the order given, each once")
	assert.Equal(t, []string{"w"}, subscribe(t, st, "@TOA#_a", "x", "w"), "existing subscriptions are left alone")
	assert.Empty(t, subscribe(t, st, "@TOA#_a"))
	subscribe(t, st, "@TOA#_b", "x")
	assert.Equal(t, int64(4), subscriberNum(t, st, "@TOA#_a"))
	assert.Equal(t, int64(1), subscriberNum(t, st, "@TOA#_b"))

	var subs map[string]store.Subscription
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) {
		subs, err = tx.Subscriptions(ctx, "@TOA#_a", []string{"x", "nope"})
		return err
	}))
	require.Len(t, subs, 1)
	assert.Equal(t, store.AcceptAndNotify, subs["x"].MsgFlag)
	assert.Equal(t, time.Unix(1700000100, 0), subs["x"].SubscribedAt)

	update(t, st, func(tx store.Tx) error { return tx.SetSubscriptionCustomString(ctx, "@TOA#_a", "x", "cs") })
	err := st.Update(ctx, func(tx store.Tx) error { return tx.SetSubscriptionCustomString(ctx, "@TOA#_b", "z", "cs") })
	assert.ErrorIs(t, err, store.ErrNotFound)

	assert.Equal(t, []string{"y", "x"}, unsubscribe(t, st, "@TOA#_a", "nope", "y", "x", "y"), "in the order given, only those subscribed")
	assert.Empty(t, unsubscribe(t, st, "@TOA#_a", "x"))
	assert.Equal(t, int64(2), subscriberNum(t, st, "@TOA#_a"))
	assert.Equal(t, []string{"x"}, subscribe(t, st, "@TOA#_a", "x"), "subscribing again after leaving")
	assert.Empty(t, subscriberPage(t, st, "@TOA#_a", 0, 10)[0].CustomString, "a new subscription starts without CustomString")
}

func testSubscriptionPages(t *testing.T, st store.Store) {
	putOfficial(t, st, "@TOA#_a", "@TOA#_b", "@TOA#_c")
	subscribe(t, st, "@TOA#_a", "s1", "s2", "s3", "s4", "s5")
	subscribe(t, st, "@TOA#_b", "s1")
	subscribe(t, st, "@TOA#_c", "s1")
	subscribe(t, st, "@TOA#_a", "s6")

	all := subscriberPage(t, st, "@TOA#_a", 0, 0)
	assert.Equal(t, []string{"s6", "s5", "s4", "s3", "s2", "s1"}, subscribers(all), "newest first, limit 0 is all")
	first := subscriberPage(t, st, "@TOA#_a", 0, 2)
	assert.Equal(t, []string{"s6", "s5"}, subscribers(first))
	assert.Equal(t, []string{"s4", "s3", "s2"}, subscribers(subscriberPage(t, st, "@TOA#_a", first[1].Seq, 3)))
	assert.Empty(t, subscriberPage(t, st, "@TOA#_a", all[5].Seq, 3))
	assert.Empty(t, subscriberPage(t, st, "@TOA#_none", 0, 3))

	var page []store.Subscribed
	var count int64
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) {
		if page, err = tx.SubscribedPage(ctx, "s1", 0, 2); err != nil {
			return err
		}
		count, err = tx.SubscribedCount(ctx, "s1")
		return err
	}))
	assert.Equal(t, int64(3), count)
	require.Len(t, page, 2)
	assert.Equal(t, "@TOA#_c", page[0].Official)
	assert.Equal(t, "@TOA#_c", page[0].Account.ID)
	assert.Equal(t, "n @TOA#_c", page[0].Account.Name)
	assert.Equal(t, int64(1), page[0].Account.Subscribers)
	assert.Equal(t, "@TOA#_b", page[1].Account.ID)
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { page, err = tx.SubscribedPage(ctx, "s1", 2, 2); return err }))
	require.Len(t, page, 1)
	assert.Equal(t, "@TOA#_a", page[0].Account.ID)
	assert.Equal(t, int64(6), page[0].Account.Subscribers)
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { page, err = tx.SubscribedPage(ctx, "s1", 3, 2); return err }))
	assert.Empty(t, page, "an offset past the end")

	// Subscription time orders the list, newest first, even against the order subscriptions
	// were made in (a transaction that took its time earlier may commit later).
	for _, s := range []struct {
		oa string
		at int64
	}{{"@TOA#_b", 1700000300}, {"@TOA#_a", 1700000200}, {"@TOA#_c", 1700000400}} {
		update(t, st, func(tx store.Tx) error {
			_, err := tx.Subscribe(ctx, s.oa, []string{"t1"}, time.Unix(s.at, 0))
			return err
		})
	}
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { page, err = tx.SubscribedPage(ctx, "t1", 0, 0); return err }))
	var ids []string
	for _, e := range page {
		ids = append(ids, e.Official)
	}
	assert.Equal(t, []string{"@TOA#_c", "@TOA#_b", "@TOA#_a"}, ids)
}

func testDestroyOfficial(t *testing.T, st store.Store) {
	putOfficial(t, st, "@TOA#_a", "@TOA#_b")
	subscribe(t, st, "@TOA#_a", "x", "y")
	subscribe(t, st, "@TOA#_b", "x")
	update(t, st, func(tx store.Tx) error { return tx.DestroyOfficialAccount(ctx, "@TOA#_a") })
	_, ok := official(t, st, "@TOA#_a")
	assert.False(t, ok)
	assert.Empty(t, subscriberPage(t, st, "@TOA#_a", 0, 0))
	var n int64
	require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) { n, err = tx.SubscribedCount(ctx, "x"); return err }))
	assert.Equal(t, int64(1), n)
	err := st.Update(ctx, func(tx store.Tx) error { return tx.DestroyOfficialAccount(ctx, "@TOA#_a") })
	assert.ErrorIs(t, err, store.ErrNotFound)
	putOfficial(t, st, "@TOA#_a")
	assert.Zero(t, subscriberNum(t, st, "@TOA#_a"), "a re-created official account starts empty")
}

func testDeleteSubscriber(t *testing.T, st store.Store) {
	put(t, st, "gone", "stays")
	putOfficial(t, st, "@TOA#_c", "@TOA#_a", "@TOA#_b")
	subscribe(t, st, "@TOA#_c", "gone", "stays")
	subscribe(t, st, "@TOA#_a", "gone")
	subscribe(t, st, "@TOA#_b", "stays")
	var r store.Removal
	update(t, st, func(tx store.Tx) (err error) { r, err = tx.DeleteAccount(ctx, "gone"); return err })
	assert.Equal(t, []string{"@TOA#_a", "@TOA#_c"}, r.Subscriptions, "in ID order")
	assert.Equal(t, int64(0), subscriberNum(t, st, "@TOA#_a"))
	assert.Equal(t, int64(1), subscriberNum(t, st, "@TOA#_c"))
	assert.Equal(t, int64(1), subscriberNum(t, st, "@TOA#_b"))
	assert.Equal(t, []string{"stays"}, subscribers(subscriberPage(t, st, "@TOA#_c", 0, 0)))
	put(t, st, "lonely")
	update(t, st, func(tx store.Tx) (err error) { r, err = tx.DeleteAccount(ctx, "lonely"); return err })
	assert.Empty(t, r.Subscriptions)
}

func testOfficialRollback(t *testing.T, st store.Store) {
	putOfficial(t, st, "@TOA#_a")
	subscribe(t, st, "@TOA#_a", "x")
	boom := errors.New("boom")
	err := st.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Subscribe(ctx, "@TOA#_a", []string{"y", "z"}, time.Unix(1, 0)); err != nil {
			return err
		}
		if _, err := tx.Unsubscribe(ctx, "@TOA#_a", []string{"x"}); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, int64(1), subscriberNum(t, st, "@TOA#_a"))
	assert.Equal(t, []string{"x"}, subscribers(subscriberPage(t, st, "@TOA#_a", 0, 0)))
}

// testParallelSubscriptions subscribes and unsubscribes from many goroutines: SubscriberNum
// equals the subscriptions of every official account.
func testParallelSubscriptions(t *testing.T, st store.Store) {
	oas := []string{"@TOA#_p", "@TOA#_q"}
	putOfficial(t, st, oas...)
	subs := []string{"a", "b", "c", "d", "e", "f"}
	toggleConcurrently(t, st, 11, func(r *rand.Rand) (string, []string) {
		oa := oas[r.IntN(len(oas))]
		var pick []string
		for _, s := range subs {
			if r.IntN(2) == 0 {
				pick = append(pick, s)
			}
		}
		return oa, pick
	}, func(tx store.Tx, oa string, pick []string, add bool) (err error) {
		if add {
			_, err = tx.Subscribe(ctx, oa, pick, time.Unix(1, 0))
		} else {
			_, err = tx.Unsubscribe(ctx, oa, pick)
		}
		return err
	})
	for _, oa := range oas {
		assert.Equal(t, int64(len(subscriberPage(t, st, oa, 0, 0))), subscriberNum(t, st, oa), "SubscriberNum of %s equals its subscriptions", oa)
	}
}
