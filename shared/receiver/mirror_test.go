package receiver_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// history is a run of after-events with distinct EventTimes (ms), in the order they happened.
func history(t testing.TB) []string {
	ms := func(n int64) time.Time { return time.UnixMilli(1_700_000_000_000 + n) }
	bodies := []protocol.CallbackBody{
		protocol.NewAfterFollowAdd("a", []string{"b", "c"}, ms(1)),
		protocol.AfterCreateOfficialAccount{CallbackCommand: protocol.CallbackAfterCreateOfficialAccount, OperatorAccount: "admin", OfficialAccount: "oa1", OwnerAccount: "o", Name: "N1", EventTime: ms(2).UnixMilli()},
		protocol.NewAfterFollowDelete("a", []string{"b"}, ms(3)),
		protocol.AfterOfficialAccountInfoChanged{CallbackCommand: protocol.CallbackAfterOfficialAccountInfoChanged, OfficialAccount: "oa1", OperatorAccount: "admin", Name: "N2", Introduction: "hello", FaceURL: "http://face", Organization: "org", EventTime: ms(4).UnixMilli()},
		protocol.NewSubscribers(protocol.CallbackAfterAddSubscriber, "oa1", "admin", []string{"s1", "s2"}, ms(5)),
		protocol.AfterOfficialAccountFull{CallbackCommand: protocol.CallbackAfterOfficialAccountFull, OfficialAccount: "oa1", EventTime: ms(6).UnixMilli()},
		protocol.NewSubscribers(protocol.CallbackAfterDeleteSubscriber, "oa1", "admin", []string{"s1"}, ms(7)),
		protocol.NewAfterFollowAdd("a", []string{"b"}, ms(8)),
		protocol.NewAfterFollowDelete("a", []string{"c"}, ms(9)),
		protocol.NewSubscribers(protocol.CallbackAfterAddSubscriber, "oa1", "admin", []string{"s3"}, ms(10)),
		protocol.AfterOfficialAccountDestroyed{CallbackCommand: protocol.CallbackAfterOfficialAccountDestroyed, OfficialAccount: "oa1", OwnerAccount: "o", Name: "N2", EventTime: ms(11).UnixMilli()},
		// oa2 is destroyed and created again under the same ID.
		protocol.AfterCreateOfficialAccount{CallbackCommand: protocol.CallbackAfterCreateOfficialAccount, OperatorAccount: "admin", OfficialAccount: "oa2", OwnerAccount: "p", Name: "Old", EventTime: ms(12).UnixMilli()},
		protocol.NewSubscribers(protocol.CallbackAfterAddSubscriber, "oa2", "admin", []string{"s1"}, ms(13)),
		protocol.AfterOfficialAccountDestroyed{CallbackCommand: protocol.CallbackAfterOfficialAccountDestroyed, OfficialAccount: "oa2", OwnerAccount: "p", Name: "Old", EventTime: ms(14).UnixMilli()},
		protocol.AfterCreateOfficialAccount{CallbackCommand: protocol.CallbackAfterCreateOfficialAccount, OperatorAccount: "admin", OfficialAccount: "oa2", OwnerAccount: "q", Name: "New", EventTime: ms(15).UnixMilli()},
		protocol.NewSubscribers(protocol.CallbackAfterAddSubscriber, "oa2", "admin", []string{"s4"}, ms(16)),
	}
	out := make([]string, len(bodies))
	for i, b := range bodies {
		j, err := json.Marshal(b)
		require.NoError(t, err)
		out[i] = string(j)
	}
	return out
}

// TestMirrorConverges delivers the same history in order and in shuffled orders (late
// retries, redelivered dead letters): the mirror's facts come out the same, and the facts are
// the ones the history leads to.
func TestMirrorConverges(t *testing.T) {
	events := history(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			inOrder := start(t, b.URL(t))
			for _, e := range events {
				inOrder.deliver(t, e)
			}
			want := inOrder.mirror(t)
			require.Equal(t, []string{"a>b"}, want.present())
			require.Equal(t, []string{"oa2<s4"}, want.subscribed())
			require.Equal(t, []store.MirrorOfficialAccount{
				{ID: "oa1", Owner: "o", Name: "N2", Introduction: "hello", FaceURL: "http://face", Organization: "org",
					OwnerAt: 1_700_000_000_011, NameAt: 1_700_000_000_011, ProfileAt: 1_700_000_000_004, StateAt: 1_700_000_000_011, DestroyedAt: 1_700_000_000_011, FullAt: 1_700_000_000_006},
				{ID: "oa2", Owner: "q", Name: "New", OwnerAt: 1_700_000_000_015, NameAt: 1_700_000_000_015, ProfileAt: 1_700_000_000_015, Present: true, StateAt: 1_700_000_000_016, DestroyedAt: 1_700_000_000_014},
			}, want.Officials)

			rng := rand.New(rand.NewPCG(1, 2))
			for round := 0; round < 4; round++ {
				shuffled := append([]string(nil), events...)
				rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				h := start(t, b.URL(t))
				for _, e := range shuffled {
					h.deliver(t, e)
				}
				got := h.mirror(t)
				require.Equal(t, want.Follows, got.Follows, "round %d", round)
				require.Equal(t, want.Officials, got.Officials, "round %d", round)
				require.Equal(t, want.subscribed(), got.subscribed(), "round %d", round)
			}
		})
	}
}

// TestReplay: replaying the log rebuilds exactly the mirror the receivers built live, whatever
// order the events came in, and repairs a mirror that was lost.
func TestReplay(t *testing.T) {
	events := history(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			h := start(t, b.URL(t))
			rng := rand.New(rand.NewPCG(3, 4))
			rng.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
			for _, e := range events {
				h.deliver(t, e)
			}
			h.deliver(t, sample(t, "OfficialAccount.CallbackBeforeAddSubscriber.json")) // not applied
			h.deliver(t, events[0])                                                     // a duplicate
			live := h.mirror(t)

			ctx := context.Background()
			require.NoError(t, h.Store.Update(ctx, func(tx store.Tx) error { return tx.ResetMirror(ctx) }))
			require.Equal(t, mirror{}, h.mirror(t))
			n, err := h.Rcv.Replay(ctx)
			require.NoError(t, err)
			require.Equal(t, len(events), n)
			require.Equal(t, live, h.mirror(t))

			n, err = h.Rcv.Replay(ctx) // over a full mirror
			require.NoError(t, err)
			require.Equal(t, len(events), n)
			require.Equal(t, live, h.mirror(t))
		})
	}
}
