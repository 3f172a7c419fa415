package e2e_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// ChromiumEnv names the browser the tests drive (scripts/chromium prints one).
const ChromiumEnv = "CHAT_TEST_CHROMIUM"

// browser returns a chromedp context on the Chromium of ChromiumEnv; it skips the test when the
// variable is unset and fails it when the browser does not start.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv(ChromiumEnv)
	if path == "" {
		t.Skip(ChromiumEnv + " is not set: browser tests skipped (scripts/chromium prints a path)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	require.NoError(t, chromedp.Run(ctx), "%s=%s does not start", ChromiumEnv, path)
	return ctx
}

// screenshot takes the page and, with CHAT_TEST_SCREENSHOTS set, saves it as
// docs/console-<name>.png for the documentation.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	require.NoError(t, chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)))
	if os.Getenv("CHAT_TEST_SCREENSHOTS") == "" {
		return // the documentation's pictures are rewritten only when asked: their times change
	}
	require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "console-"+name+".png"), png, 0o644))
}

// loop starts a local server whose webhooks go through a front that answers HTTP 500 while
// failing is set and otherwise forwards to the server's own /callback. A failed delivery is
// dead at once (no retries).
func loop(t *testing.T, failing *atomic.Bool, opts ...servertest.Option) *servertest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var target atomic.Pointer[url.URL]
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target.Load()) }}
	front := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			http.Error(w, "receiver down", http.StatusInternalServerError)
			return
		}
		proxy.ServeHTTP(w, r)
	})}
	go front.Serve(ln)
	t.Cleanup(func() { front.Close() })
	opts = append(opts, func(c *config.Config) {
		c.Callback.URL = "http://" + ln.Addr().String() + "/callback"
		c.Callback.Retry = []time.Duration{}
	})
	s := servertest.Start(t, storetest.SQLite(t), opts...)
	u, err := url.Parse(s.URL)
	require.NoError(t, err)
	target.Store(u)
	return s
}

func stats(t *testing.T, s *servertest.Server) store.DeliveryStats {
	t.Helper()
	var st store.DeliveryStats
	ctx := context.Background()
	require.NoError(t, s.App.Store.View(ctx, func(tx store.Tx) (err error) { st, err = tx.DeliveryStats(ctx); return err }))
	return st
}

// hostileEvent posts a signed webhook whose body holds a script to the server's receivers.
func hostileEvent(t *testing.T, s *servertest.Server) {
	t.Helper()
	sender, err := webhook.NewSender(webhook.Target{URL: s.URL + "/callback", SDKAppID: s.Config.SDKAppID, Token: s.Config.Callback.Token},
		5*time.Second, "", time.Now)
	require.NoError(t, err)
	body := `{"CallbackCommand":"Follow.CallbackAfterFollowAdd","From_Account":"mallory","To_Account":["<script>document.title='pwned'</script>"],"EventTime":` +
		strconv.FormatInt(time.Now().UnixMilli(), 10) + `}`
	_, err = sender.Send(context.Background(), webhook.Call{Command: protocol.CallbackAfterFollowAdd, Body: []byte(body), ClientIP: "127.0.0.1", Platform: "RESTAPI"}, "evt_1", nil)
	require.NoError(t, err)
}

func TestConsoleInBrowser(t *testing.T) {
	ctx := browser(t)
	var failing atomic.Bool
	s := loop(t, &failing)
	s.Import(t, "alice", "bob")
	failing.Store(true)
	s.Call(t, "follow/follow_add", `{"From_Account":"alice","FollowItem":[{"To_Account":"bob"}]}`)
	require.Eventually(t, func() bool { return stats(t, s).Dead == 1 }, 10*time.Second, 20*time.Millisecond)
	failing.Store(false)
	s.Call(t, "follow/follow_add", `{"From_Account":"bob","FollowItem":[{"To_Account":"alice"}]}`)
	require.Eventually(t, func() bool { return stats(t, s).Delivered == 1 }, 10*time.Second, 20*time.Millisecond)
	hostileEvent(t, s)

	var states, deadCount, deliveredCount string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(s.URL+"/console"),
		chromedp.WaitVisible(`#deliveries`),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#deliveries tbody tr')).map(r => r.dataset.state).join(',')`, &states),
		chromedp.Text(`#count-dead`, &deadCount),
		chromedp.Text(`#count-delivered`, &deliveredCount),
	))
	assert.Equal(t, "delivered,dead", states, "newest first")
	assert.Equal(t, "1", deadCount)
	assert.Equal(t, "1", deliveredCount)
	screenshot(t, ctx, "deliveries")

	// Filter by key: only alice's (dead) delivery.
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(s.URL+"/console?key=alice"),
		chromedp.WaitVisible(`#deliveries`),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#deliveries tbody tr')).map(r => r.dataset.state).join(',')`, &states),
	))
	assert.Equal(t, "dead", states)

	// Open the dead letter, see its failed attempt, redeliver it and see it delivered.
	var attempts, state string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Click(`#deliveries tbody tr[data-state="dead"] a`),
		chromedp.WaitVisible(`#redeliver`),
		chromedp.Text(`#attempts tbody`, &attempts),
	))
	assert.Contains(t, attempts, "500")
	assert.Contains(t, attempts, "HTTP 500")
	screenshot(t, ctx, "delivery")
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#redeliver`), chromedp.WaitVisible(`#notice`)))
	require.Eventually(t, func() bool {
		require.NoError(t, chromedp.Run(ctx, chromedp.Reload(), chromedp.WaitVisible(`#delivery-state`), chromedp.Text(`#delivery-state`, &state)))
		return state == "delivered"
	}, 20*time.Second, 100*time.Millisecond)

	// The event body's script is text, never run.
	var bodies, title string
	var scripts int
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(s.URL+"/console/events?account=mallory"),
		chromedp.WaitVisible(`#events`),
		chromedp.Text(`#events tbody`, &bodies),
		chromedp.Title(&title),
		chromedp.Evaluate(`document.querySelectorAll('script').length`, &scripts),
	))
	assert.Contains(t, bodies, `<script>document.title='pwned'</script>`)
	assert.NotEqual(t, "pwned", title)
	assert.Equal(t, 0, scripts)
	screenshot(t, ctx, "events")

	var follows string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(s.URL+"/console/mirror?account=alice"),
		chromedp.WaitVisible(`#follows`),
		chromedp.Text(`#follows tbody`, &follows),
	))
	assert.Contains(t, follows, "bob")
	screenshot(t, ctx, "mirror")
}

func TestConsoleTokenGateInBrowser(t *testing.T) {
	ctx := browser(t)
	var failing atomic.Bool
	s := loop(t, &failing, func(c *config.Config) { c.Console.Exposed, c.Console.Token = true, "s3cret-token" })

	var loc, errText string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(s.URL+"/console"),
		chromedp.WaitVisible(`#token`),
		chromedp.Location(&loc),
	))
	assert.True(t, strings.HasSuffix(loc, "/console/login"), loc)
	screenshot(t, ctx, "login")
	require.NoError(t, chromedp.Run(ctx,
		chromedp.SendKeys(`#token`, "wrong"),
		chromedp.Click(`#sign-in`),
		chromedp.WaitVisible(`#login-error`),
		chromedp.Text(`#login-error`, &errText),
	))
	assert.Equal(t, "Wrong token.", errText)
	require.NoError(t, chromedp.Run(ctx,
		chromedp.SendKeys(`#token`, "s3cret-token"),
		chromedp.Click(`#sign-in`),
		chromedp.WaitVisible(`#deliveries`),
	))
}
