package receiver_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

var eventTimeMember = regexp.MustCompile(`"EventTime":\s*\d+`)

// withEventTime is body with its EventTime replaced.
func withEventTime(body string, ms int64) string {
	return eventTimeMember.ReplaceAllString(body, `"EventTime":`+strconv.FormatInt(ms, 10))
}

func withRetention(d time.Duration) option {
	return func(c *config.Receiver, _ *receiver.Handlers) { c.Retention = d }
}

// TestFutureEventTime: an EventTime later than RequestTime (without tokens: the receiver's
// clock) plus the skew is refused like a wrong field, 400 with 30001 (Follow) or 6017
// (OfficialAccount), and recorded nowhere; the bound itself is accepted.
func TestFutureEventTime(t *testing.T) {
	const maxInt64 = 9223372036854775807
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			for _, tokens := range [][]string{{vectorToken}, nil} {
				h := start(t, b.URL(t), withTokens(tokens...))
				// RequestTime is the harness's clock; the bound is RequestTime + 60 s, in ms.
				bound := int64(harnessTime+60) * 1000
				for _, cmd := range protocol.CallbackCommands() {
					code := 6017
					if strings.HasPrefix(cmd, "Follow.") {
						code = 30001
					}
					for _, at := range []int64{maxInt64, bound + 1} {
						body := withEventTime(sample(t, cmd+".json"), at)
						r := h.post(t, "/callback", h.query(cmd, nil), body, nil)
						require.Equal(t, http.StatusBadRequest, r.Status, "%s at %d: %s", cmd, at, r.Body)
						require.Equal(t, "FAIL", r.Env.ActionStatus)
						require.Equal(t, code, r.Env.ErrorCode, r.Body)
						r = h.post(t, "/callback/"+cmd, h.query(cmd, nil), body, nil)
						require.Equal(t, http.StatusBadRequest, r.Status, "%s on its own URL", cmd)
					}
				}
				require.Empty(t, h.events(t), "a refused event is recorded nowhere")
				require.Equal(t, mirror{}, h.mirror(t))

				body := withEventTime(sample(t, "Follow.CallbackAfterFollowAdd.json"), bound)
				h.deliver(t, body)
				require.Len(t, h.events(t), 1, "EventTime at the bound is accepted")
			}
		})
	}
}

// TestRetention: with a short RECEIVER_RETENTION and a test clock, pruning deletes the events
// received before the period, in batches, keeps the mirror as it is, and a redelivery of a
// pruned event cannot roll the mirror back.
func TestRetention(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			h := start(t, b.URL(t), withRetention(time.Hour))
			add := sample(t, "Follow.CallbackAfterFollowAdd.json") // UserID_001 -> 002, 003 at ...678
			del := `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"UserID_001","To_Account":["UserID_002"],"EventTime":1702018343700}`
			h.deliver(t, add)
			// Filler events, received with the add: more than one pruning batch.
			require.NoError(t, h.Store.Update(ctx, func(tx store.ReceiverTx) error {
				for i := range 1200 {
					_, _, err := tx.RecordEvent(ctx, store.ReceivedEvent{Command: "Filler", BodyHash: strconv.Itoa(i),
						Body: []byte("{}"), EventTime: 1, ReceivedAt: h.Clock.Now()})
					if err != nil {
						return err
					}
				}
				return nil
			}))
			h.Clock.Advance(30 * 60)
			h.deliver(t, del)
			before := h.mirror(t)

			n, err := h.Rcv.Prune(ctx)
			require.NoError(t, err)
			require.Equal(t, 0, n, "nothing is older than an hour yet")

			h.Clock.Advance(31 * 60)
			n, err = h.Rcv.Prune(ctx)
			require.NoError(t, err)
			require.Equal(t, 1201, n, "the add and the fillers, received 61 minutes ago")
			events := h.events(t)
			require.Len(t, events, 1)
			require.Equal(t, protocol.CallbackAfterFollowDelete, events[0].Command)
			require.Equal(t, before, h.mirror(t), "pruning leaves the mirror as it was")
			require.Equal(t, []string{"UserID_001>UserID_003"}, before.present())

			// The sender redelivers the pruned add: it is new to the log, and older than the
			// delete in the mirror, so UserID_002 stays unfollowed.
			h.deliver(t, add)
			require.Len(t, h.events(t), 2)
			m := h.mirror(t)
			require.Equal(t, []string{"UserID_001>UserID_003"}, m.present())
			require.Equal(t, store.MirrorFollow{From: "UserID_001", To: "UserID_002", Present: false, At: 1702018343700}, m.Follows[0])

			// The newest event is never pruned, so log ids keep increasing.
			h.Clock.Advance(24 * 3600)
			n, err = h.Rcv.Prune(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, n)
			require.Len(t, h.events(t), 1)
		})
	}
}

// TestRetentionZeroKeepsForever: RECEIVER_RETENTION=0 prunes nothing.
func TestRetentionZeroKeepsForever(t *testing.T) {
	h := start(t, storetest.SQLite(t), withRetention(0))
	h.deliver(t, sample(t, "Follow.CallbackAfterFollowAdd.json"))
	h.deliver(t, sample(t, "Follow.CallbackAfterFollowDelete.json"))
	h.Clock.Advance(10 * 365 * 24 * 3600)
	n, err := h.Rcv.Prune(context.Background())
	require.NoError(t, err)
	require.Equal(t, 0, n)
	require.Len(t, h.events(t), 2)
}

// TestRunRetention: the background loop prunes at once when started, and deliveries go on
// while it works through a backlog of several batches; it returns when its context ends.
func TestRunRetention(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			h := start(t, b.URL(t), withRetention(time.Hour))
			require.NoError(t, h.Store.Update(ctx, func(tx store.ReceiverTx) error {
				for i := range 3000 {
					if _, _, err := tx.RecordEvent(ctx, store.ReceivedEvent{Command: "Filler", BodyHash: strconv.Itoa(i),
						Body: []byte("{}"), EventTime: 1, ReceivedAt: h.Clock.Now()}); err != nil {
						return err
					}
				}
				return nil
			}))
			h.Clock.Advance(2 * 3600)
			deliver := func(i int) {
				h.deliver(t, `{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"u`+strconv.Itoa(i)+
					`","FollowList":[{"To_Account":"v"}],"EventTime":1702018343678}`)
			}
			deliver(0) // newer than the backlog, which is then prunable to its last row
			run, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); h.Rcv.RunRetention(run) }()
			// Deliveries meanwhile are answered and recorded.
			for i := 1; i < 20; i++ {
				deliver(i)
			}
			require.Eventually(t, func() bool { return len(h.events(t)) == 20 }, 30*time.Second, 10*time.Millisecond,
				"the backlog is pruned, the new deliveries kept")
			stop()
			<-done
			require.Len(t, h.mirror(t).present(), 20)
		})
	}
}
