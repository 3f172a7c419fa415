package localserver_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// closedLoop starts a local server whose webhooks go to its own /callback, as the local
// server's default CHAT_CALLBACK_URL does; the test server's port is only known once it runs,
// so the callback URL is a fixed loopback address that forwards to it.
func closedLoop(t *testing.T, databaseURL string, opts ...servertest.Option) *servertest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var target atomic.Pointer[url.URL]
	front := &http.Server{Handler: &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target.Load()) }}}
	go front.Serve(ln)
	t.Cleanup(func() { front.Close() })
	opts = append(opts, func(c *config.Config) {
		c.Callback.URL = "http://" + ln.Addr().String() + "/callback"
		c.Callback.Retry = []time.Duration{50 * time.Millisecond, 50 * time.Millisecond}
	})
	s := servertest.Start(t, databaseURL, opts...)
	u, err := url.Parse(s.URL)
	require.NoError(t, err)
	target.Store(u)
	return s
}

// receiverLog waits until the receivers logged n events and returns their commands, the
// answers given to before-webhooks, and the mirror.
func receiverLog(t *testing.T, st store.Store, n int) (cmds []string, answers map[string]string, follows []store.MirrorFollow, subs []store.MirrorSubscription, oas []store.MirrorOfficialAccount) {
	t.Helper()
	ctx := context.Background()
	require.Eventually(t, func() bool {
		var events []store.ReceivedEvent
		require.NoError(t, st.View(ctx, func(tx store.Tx) (err error) {
			events, err = tx.ReceivedEvents(ctx, store.EventQuery{})
			return err
		}))
		return len(events) >= n
	}, 20*time.Second, 20*time.Millisecond)
	answers = map[string]string{}
	require.NoError(t, st.View(ctx, func(tx store.Tx) error {
		events, err := tx.ReceivedEvents(ctx, store.EventQuery{})
		if err != nil {
			return err
		}
		for _, e := range events {
			cmds = append(cmds, e.Command)
			require.EqualValues(t, 1, e.Deliveries)
			require.Equal(t, protocol.PlatformREST, e.Platform)
			if len(e.Answer) > 0 {
				answers[e.Command] += string(e.Answer)
			}
		}
		if follows, err = tx.MirrorFollows(ctx, ""); err != nil {
			return err
		}
		if subs, err = tx.MirrorSubscriptions(ctx, ""); err != nil {
			return err
		}
		oas, err = tx.MirrorOfficialAccounts(ctx)
		return err
	}))
	return cmds, answers, follows, subs, oas
}

// TestClosedLoop: the local server's REST calls reach its own receivers, which verify its Sign,
// record the events, keep the mirror, and answer its before-webhooks from their policy, which
// the REST operations obey.
func TestClosedLoop(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := closedLoop(t, b.URL(t), func(c *config.Config) {
				c.Receiver.DenyOwners = []string{"eve"}
				c.Receiver.DenySubscribers = []string{"mallory"}
			})
			s.Import(t, "alice", "bob", "eve", "owner", "s1", "mallory")
			s.Call(t, "follow/follow_add", `{"From_Account":"alice","FollowItem":[{"To_Account":"bob"}]}`)
			s.Call(t, "follow/follow_delete", `{"From_Account":"alice","To_Account":["bob"]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"bob","FollowItem":[{"To_Account":"alice"}]}`)

			refused := s.Call(t, "official_account_open_http_svc/create_official_account", `{"Owner_Account":"eve","Name":"Eve's"}`)
			require.Contains(t, refused, `"ErrorCode":20006`)
			var created struct{ OfficialAccountUserID string }
			answer := s.Call(t, "official_account_open_http_svc/create_official_account", `{"Owner_Account":"owner","Name":"News"}`)
			require.NoError(t, json.Unmarshal([]byte(answer), &created))
			news := created.OfficialAccountUserID
			require.NotEmpty(t, news, answer)
			added := s.Call(t, "official_account_open_http_svc/add_subscriber",
				`{"Official_Account":"`+news+`","SubscriberList":[{"Subscriber_Account":"s1"},{"Subscriber_Account":"mallory"}]}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[{"Subscriber_Account":"s1","Result":1},{"Subscriber_Account":"mallory","Result":0}]}`, added)
			removed := s.Call(t, "official_account_open_http_svc/delete_subscriber",
				`{"Official_Account":"`+news+`","SubscriberToDel_Account":["s1"]}`)
			require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","SubscriberList":[{"Subscriber_Account":"s1","Result":1}]}`, removed)
			s.Call(t, "official_account_open_http_svc/modify_official_account_base_info",
				`{"Official_Account":"`+news+`","Name":"Daily News","Introduction":"every day"}`)
			s.Call(t, "official_account_open_http_svc/destroy_official_account", `{"Official_Account":"`+news+`"}`)

			cmds, answers, follows, subs, oas := receiverLog(t, s.App.Store, 11)
			require.ElementsMatch(t, []string{
				protocol.CallbackAfterFollowAdd, protocol.CallbackAfterFollowDelete, protocol.CallbackAfterFollowAdd,
				protocol.CallbackBeforeCreateOfficialAccount, protocol.CallbackBeforeCreateOfficialAccount, protocol.CallbackAfterCreateOfficialAccount,
				protocol.CallbackBeforeAddSubscriber, protocol.CallbackAfterAddSubscriber, protocol.CallbackAfterDeleteSubscriber,
				protocol.CallbackAfterOfficialAccountInfoChanged, protocol.CallbackAfterOfficialAccountDestroyed,
			}, cmds)
			require.Equal(t, map[string]string{
				protocol.CallbackBeforeCreateOfficialAccount: `{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"refused by the app's policy"}`,
				protocol.CallbackBeforeAddSubscriber:         `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["mallory"]}`,
			}, answers)

			require.Len(t, follows, 2)
			require.Equal(t, [2]bool{false, true}, [2]bool{follows[0].Present, follows[1].Present}, "alice unfollowed bob; bob follows alice")
			require.Equal(t, []store.MirrorSubscription{{Official: news, Subscriber: "s1", At: subs[0].At}}, subs, "removed by delete_subscriber")
			require.Len(t, oas, 1)
			require.Equal(t, "owner", oas[0].Owner)
			require.Equal(t, "Daily News", oas[0].Name)
			require.Equal(t, "every day", oas[0].Introduction)
			require.False(t, oas[0].Present)
		})
	}
}
