package localserver_test

import (
	"strconv"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/localserver/servertest/officialtest"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

// withReceiver sends the server's webhooks to rcv, signed with the docs/wire.md check-vector token.
func withReceiver(rcv *webhooktest.Receiver) servertest.Option {
	return func(c *config.Config) {
		c.Callback.URL = rcv.URL + "/hook?existing=kept"
		c.Callback.Token = "xxxxyyyy"
		c.Callback.Retry = []time.Duration{50 * time.Millisecond, 50 * time.Millisecond}
	}
}

// checkWebhook checks the query string of docs/wire.md section 5 and returns the body with EventTime
// checked against [before, after] and then zeroed, for whole-body comparison.
func checkWebhook(t *testing.T, r webhooktest.Request, command string, before, after time.Time) string {
	t.Helper()
	q := r.Query
	assert.Equal(t, "1400000000", q.Get("SdkAppid"))
	assert.Equal(t, command, q.Get("CallbackCommand"))
	assert.Equal(t, "json", q.Get("contenttype"))
	assert.Equal(t, "127.0.0.1", q.Get("ClientIP"))
	assert.Equal(t, "RESTAPI", q.Get("OptPlatform"))
	assert.Equal(t, "kept", q.Get("existing"), "the callback URL's own query is kept")
	rt, err := strconv.ParseInt(q.Get("RequestTime"), 10, 64)
	require.NoError(t, err)
	assert.InDelta(t, time.Now().Unix(), rt, 5, "RequestTime is Unix seconds of the attempt")
	assert.Equal(t, webhook.Sign("xxxxyyyy", rt), q.Get("Sign"))
	var body map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &body))
	ms := int64(body["EventTime"].(float64))
	assert.GreaterOrEqual(t, ms, before.UnixMilli(), "EventTime is in milliseconds")
	assert.LessOrEqual(t, ms, after.UnixMilli())
	body["EventTime"] = 0
	out, err := json.Marshal(body, json.Deterministic(true))
	require.NoError(t, err)
	return string(out)
}

func TestFollowWebhooks(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), withReceiver(rcv))
			s.Import(t, "a", "b", "c", "d")
			start := time.Now()

			// b is followed twice: the second call changes nothing and sends nothing.
			s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"c"},{"To_Account":"c"},{"To_Account":"nobody"},{"To_Account":"a"}]}`)
			// Unfollowing someone not followed sends nothing; a call whose items all fail sends nothing.
			s.Call(t, "follow/follow_delete", `{"From_Account":"a","To_Account":["d"]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"nobody"}]}`)
			s.Call(t, "follow/follow_delete", `{"From_Account":"a","To_Account":["c","d","b"]}`)
			got := rcv.WaitFor(t, 3, 5*time.Second)
			end := time.Now()
			require.Len(t, got, 3)

			assert.JSONEq(t, `{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"b"}],"EventTime":0}`,
				checkWebhook(t, got[0], protocol.CallbackAfterFollowAdd, start, end))
			assert.JSONEq(t, `{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"a","FollowList":[{"To_Account":"c"}],"EventTime":0}`,
				checkWebhook(t, got[1], protocol.CallbackAfterFollowAdd, start, end))
			assert.JSONEq(t, `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"a","To_Account":["c","b"],"EventTime":0}`,
				checkWebhook(t, got[2], protocol.CallbackAfterFollowDelete, start, end))
			officialtest.Drained(t, s)
		})
	}
}

func TestAccountDeleteWebhooks(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			rcv := webhooktest.New(t)
			s := servertest.Start(t, b.URL(t), withReceiver(rcv))
			s.Import(t, "gone", "x", "y", "f1", "f2")
			s.Call(t, "follow/follow_add", `{"From_Account":"gone","FollowItem":[{"To_Account":"x"},{"To_Account":"y"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"f1","FollowItem":[{"To_Account":"gone"}]}`)
			s.Call(t, "follow/follow_add", `{"From_Account":"f2","FollowItem":[{"To_Account":"gone"}]}`)
			rcv.WaitFor(t, 3, 5*time.Second)
			start := time.Now()
			s.Call(t, "im_open_login_svc/account_delete", `{"DeleteItem":[{"UserID":"gone"}]}`)
			got := rcv.WaitFor(t, 6, 5*time.Second)[3:]
			end := time.Now()
			bodies := map[string]string{}
			for _, r := range got {
				var b struct{ From_Account string }
				require.NoError(t, json.Unmarshal(r.Body, &b, json.RejectUnknownMembers(false)))
				bodies[b.From_Account] = checkWebhook(t, r, protocol.CallbackAfterFollowDelete, start, end)
			}
			assert.JSONEq(t, `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"gone","To_Account":["x","y"],"EventTime":0}`, bodies["gone"])
			assert.JSONEq(t, `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"f1","To_Account":["gone"],"EventTime":0}`, bodies["f1"])
			assert.JSONEq(t, `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"f2","To_Account":["gone"],"EventTime":0}`, bodies["f2"])
			officialtest.Drained(t, s)
		})
	}
}

func TestNoWebhooksWhenCallbackURLEmpty(t *testing.T) {
	s := servertest.Start(t, storetest.SQLite(t), func(c *config.Config) { c.Callback.URL = "" })
	s.Import(t, "a", "b")
	s.Call(t, "follow/follow_add", `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`)
	officialtest.Drained(t, s)
}
