// Package officialtest helps the tests of the official-account functions: a local server whose
// webhooks go to a real receiver, calls by command word, and answers and webhook bodies with
// their times blanked for comparison with golden JSON.
//
// Internal to this module: not a supported API for other modules.
package officialtest

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/webhook/webhooktest"
)

// Service is the path of the official-account commands below /v4/.
const Service = "official_account_open_http_svc/"

// Token signs the test server's webhooks.
const Token = "xxxxyyyy"

// Timeout is the test server's webhook timeout: short so that timeouts are quick to test, long
// enough that a receiver's prompt answer arrives in time on a loaded machine under -race (at
// 300 ms a refusal was once taken for a timeout with the machine's load average near 40).
const Timeout = time.Second

// WithReceiver sends the server's webhooks, before and after, to rcv.
func WithReceiver(rcv *webhooktest.Receiver) servertest.Option {
	return func(c *config.Config) {
		c.Callback.URL = rcv.URL + "/callback"
		c.Callback.Token = Token
		c.Callback.Timeout = Timeout
		c.Callback.Retry = []time.Duration{50 * time.Millisecond, 50 * time.Millisecond}
	}
}

// Call posts body to the official-account command and returns the answer.
func Call(t testing.TB, s *servertest.Server, command, body string) string {
	t.Helper()
	return s.Call(t, Service+command, body)
}

// Put stores official accounts directly, for IDs a REST call cannot choose (the documentation's
// samples use generated-form IDs such as @TOA#_@TOA#dOEF).
func Put(t testing.TB, s *servertest.Server, accounts ...store.OfficialAccount) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, s.App.Store.Update(ctx, func(tx store.Tx) error {
		for _, oa := range accounts {
			if oa.MaxSubscribers == 0 {
				oa.MaxSubscribers = 100000
			}
			if oa.CreatedAt.IsZero() {
				oa.CreatedAt = time.Now()
			}
			if ok, err := tx.CreateOfficialAccount(ctx, oa); err != nil || !ok {
				require.True(t, ok, "official account %s exists", oa.ID)
				return err
			}
		}
		return nil
	}))
}

// timeFields are the members whose values depend on the clock.
var timeFields = []string{"CreateTime", "SubscribeTime", "EventTime"}

// Blank returns the JSON object raw with every time member (CreateTime, SubscribeTime,
// EventTime), at any depth, set to 0 and a non-empty Next set to "NEXT", for comparison with
// golden JSON. It fails the test when a time member is not a plausible time of today.
func Blank(t testing.TB, raw string) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(raw), &v), "answer: %s", raw)
	blank(t, v)
	out, err := json.Marshal(v, json.Deterministic(true))
	require.NoError(t, err)
	return string(out)
}

func isCursor(x any) bool { s, ok := x.(string); return ok && s != "" }

func blank(t testing.TB, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			switch {
			case slices.Contains(timeFields, k):
				n, ok := x.(float64)
				require.True(t, ok, "%s is a number", k)
				sec := int64(n)
				if k == "EventTime" {
					sec /= 1000
				}
				require.InDelta(t, time.Now().Unix(), sec, 60, "%s is the current time (EventTime in ms, others in s)", k)
				v[k] = 0
			case k == "Next" && isCursor(x): // get_subscriber_info's string cursor; integer Offsets are kept
				v[k] = "NEXT"
			default:
				blank(t, x)
			}
		}
	case []any:
		for _, x := range v {
			blank(t, x)
		}
	}
}

// Answer decides how the receiver answers each command; commands not listed get 200 OK.
type Answer map[string]func(w http.ResponseWriter)

// Answering makes rcv answer by command as a says.
func Answering(rcv *webhooktest.Receiver, a Answer) {
	rcv.Answer(func(_ int, r webhooktest.Request, w http.ResponseWriter) {
		if f := a[r.Command()]; f != nil {
			f(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(webhooktest.OK))
	})
}

// JSON answers with HTTP 200 and body.
func JSON(body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}
}

// Slow answers OK only after d, past the server's webhook timeout when d > Timeout.
func Slow(d time.Duration) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		time.Sleep(d)
		JSON(webhooktest.OK)(w)
	}
}

// Bodies returns the blanked bodies of the received webhooks of command, in arrival order.
func Bodies(t testing.TB, rcv *webhooktest.Receiver, command string) []string {
	t.Helper()
	var out []string
	for _, r := range rcv.Requests() {
		if r.Command() == command {
			require.Equal(t, "RESTAPI", r.Query.Get("OptPlatform"))
			out = append(out, Blank(t, string(r.Body)))
		}
	}
	return out
}

// WaitBodies waits until the receiver holds n webhooks of command and returns their blanked bodies.
func WaitBodies(t testing.TB, rcv *webhooktest.Receiver, command string, n int) []string {
	t.Helper()
	require.Eventually(t, func() bool { return len(Bodies(t, rcv, command)) >= n }, 10*time.Second, 5*time.Millisecond,
		"want %d webhooks %s", n, command)
	return Bodies(t, rcv, command)
}

// Drained waits until the server's outbox is empty, so every after-webhook it wrote was delivered.
func Drained(t testing.TB, s *servertest.Server) {
	t.Helper()
	ctx := context.Background()
	require.Eventually(t, func() bool {
		n := 0
		for _, state := range []store.DeliveryState{store.Pending, store.Dead} {
			var ds []store.Delivery
			require.NoError(t, s.App.Store.View(ctx, func(tx store.Tx) (err error) { ds, err = tx.Deliveries(ctx, state, 10); return err }))
			n += len(ds)
		}
		return n == 0
	}, 10*time.Second, 5*time.Millisecond, "the outbox empties once every webhook is delivered")
}

// RequireFail checks that answer is a FAIL envelope with code and a non-empty ErrorInfo, and
// nothing else.
func RequireFail(t testing.TB, answer string, code int) {
	t.Helper()
	var got struct {
		ActionStatus string
		ErrorCode    int
		ErrorInfo    string
	}
	require.NoError(t, json.Unmarshal([]byte(answer), &got, json.RejectUnknownMembers(true)), "answer: %s", answer)
	require.Equal(t, "FAIL", got.ActionStatus, "answer: %s", answer)
	require.Equal(t, code, got.ErrorCode, "answer: %s", answer)
	require.NotEmpty(t, got.ErrorInfo, "answer: %s", answer)
}

// OK is the answer of a successful call without fields of its own.
const OK = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`
