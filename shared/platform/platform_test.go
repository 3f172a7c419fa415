package platform

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// ticks counts the ticks of a scheduled function and fails them while fail is set.
type ticks struct {
	n    atomic.Int64
	fail atomic.Bool
}

func (c *ticks) function(every time.Duration) function {
	tick := func(ctx context.Context, a *app.App) error {
		if a == nil || a.Store == nil {
			return errors.New("tick without an opened App")
		}
		c.n.Add(1)
		if c.fail.Load() {
			return errors.New("tick failed on purpose")
		}
		return nil
	}
	return function{build: tickRoutes(tick), tick: tick, tickEvery: every}
}

func TestScheduledEvents(t *testing.T) {
	c := &ticks{}
	in := testInstance(t, c.function(time.Hour))
	lambdaSchedule := `{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",
		"account":"123456789012","time":"2019-10-08T16:53:06Z","region":"us-east-1",
		"resources":["arn:aws:events:us-east-1:123456789012:rule/MyScheduledRule"],"detail":{}}`
	scfTimer := `{"Message":"","Time":"2019-02-21T11:49:00Z","TriggerName":"EveryMinute","Type":"Timer"}`

	out, err := lambdaHandler{in}.Invoke(t.Context(), []byte(lambdaSchedule))
	require.NoError(t, err)
	require.Equal(t, "null", string(out))
	require.EqualValues(t, 1, c.n.Load())

	out, err = scfHandler{in}.Invoke(t.Context(), []byte(scfTimer))
	require.NoError(t, err)
	require.Equal(t, "null", string(out))
	require.EqualValues(t, 2, c.n.Load())

	_, err = lambdaHandler{in}.Invoke(t.Context(), []byte(`{}`))
	require.NoError(t, err, "a manual invocation ticks too")
	require.EqualValues(t, 3, c.n.Load())

	c.fail.Store(true)
	_, err = lambdaHandler{in}.Invoke(t.Context(), []byte(lambdaSchedule))
	require.ErrorContains(t, err, "on purpose")
	_, err = scfHandler{in}.Invoke(t.Context(), []byte(scfTimer))
	require.ErrorContains(t, err, "on purpose")
	require.EqualValues(t, 5, c.n.Load())

	// An API Gateway event reaches POST /tick.
	c.fail.Store(false)
	out, err = lambdaHandler{in}.Invoke(t.Context(), []byte(`{"version":"2.0","rawPath":"/tick",
		"requestContext":{"http":{"method":"POST","path":"/tick","sourceIp":"192.0.2.1"}}}`))
	require.NoError(t, err)
	require.Contains(t, string(out), `"statusCode":200`)
	require.Contains(t, string(out), `{\"status\":\"ok\"}`)
	require.EqualValues(t, 6, c.n.Load())
}

// freePort returns a loopback port nobody listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// runHTTP runs fn in HTTP mode on a free port until the test ends and returns its base URL.
func runHTTP(t *testing.T, fn function, env map[string]string) string {
	t.Helper()
	port := freePort(t)
	env["PORT"] = port
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			slog.New(slog.NewTextHandler(io.Discard, nil)), fn)
	}()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	base := "http://127.0.0.1:" + port
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 10*time.Second, 5*time.Millisecond)
	return base
}

func deployedEnv(t *testing.T) map[string]string {
	return map[string]string{
		"CHAT_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "chat.db"),
		"CHAT_SECRET_KEY":   config.DevSecretKey,
	}
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestHTTPMode(t *testing.T) {
	e := &echo{}
	base := runHTTP(t, e.function(), deployedEnv(t))

	status, body := post(t, base+"/callback/Follow.CallbackAfterFollowAdd?"+restQuery, "hello")
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, `{"answer":true}`, body)
	got := e.last(t)
	require.Equal(t, "/callback/Follow.CallbackAfterFollowAdd", got.Path)
	require.Equal(t, restQuery, got.RawQuery)
	require.Equal(t, "hello", string(got.Body))
	host, _, err := net.SplitHostPort(got.RemoteAddr)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", host)

	resp, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestHTTPModeTicks(t *testing.T) {
	c := &ticks{}
	base := runHTTP(t, c.function(10*time.Millisecond), deployedEnv(t))
	require.Eventually(t, func() bool { return c.n.Load() >= 3 }, 10*time.Second, 5*time.Millisecond)
	c.fail.Store(true)
	n := c.n.Load()
	require.Eventually(t, func() bool { return c.n.Load() >= n+2 }, 10*time.Second, 5*time.Millisecond,
		"a failed tick does not stop the loop")

	status, body := post(t, base+"/tick", "")
	require.Equal(t, http.StatusInternalServerError, status)
	require.Equal(t, `{"status":"failed"}`, body)
	c.fail.Store(false)
	status, body = post(t, base+"/tick", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, `{"status":"ok"}`, body)
}

func TestConfigErrorStopsAtStart(t *testing.T) {
	env := deployedEnv(t)
	env["CHAT_RATE_LIMIT"] = "fast"
	err := run(t.Context(), func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		slog.New(slog.NewTextHandler(io.Discard, nil)), (&echo{}).function())
	require.ErrorContains(t, err, "CHAT_RATE_LIMIT")
}

// TestUnavailableUntilTheStoreOpens: a store that cannot be opened makes requests answer as
// unavailable, without stopping the instance; the first request after the cause is gone opens
// it.
func TestUnavailableUntilTheStoreOpens(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "data")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644)) // a file where the database's folder must go
	env := deployedEnv(t)
	env["CHAT_DATABASE_URL"] = "sqlite:" + filepath.Join(blocker, "chat.db")
	base := runHTTP(t, (&echo{}).function(), env)

	for _, tt := range []struct {
		path string
		code protocol.Code
	}{
		{"/v4/follow/follow_add", envelope.Follow.InternalCode()},
		{"/v4/im_open_login_svc/account_check", envelope.Account.InternalCode()},
	} {
		status, body := post(t, base+tt.path+"?"+restQuery, "{}")
		require.Equal(t, http.StatusOK, status)
		svc := envelope.ServiceByName(strings.Split(tt.path, "/")[2])
		require.JSONEq(t, string(envelope.AppendFail(nil, svc, tt.code, "service unavailable, retry")), body)
	}
	resp, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)

	require.NoError(t, os.Remove(blocker))
	status, body := post(t, base+"/callback", "x")
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, `{"answer":true}`, body)
}

// TestPanicFailsOneInvocation: a panicking handler or tick fails its invocation, and the
// instance answers the next one.
func TestPanicFailsOneInvocation(t *testing.T) {
	var calls atomic.Int64
	fn := function{
		build: func(context.Context, *app.App) (http.Handler, error) {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					panic("first request")
				}
				w.Write([]byte("ok"))
			}), nil
		},
		tick: func(context.Context, *app.App) error { panic("tick") },
	}
	in := testInstance(t, fn)
	event := []byte(`{"version":"2.0","rawPath":"/x","requestContext":{"http":{"method":"POST","path":"/x","sourceIp":"192.0.2.1"}}}`)
	_, err := lambdaHandler{in}.Invoke(t.Context(), event)
	require.ErrorContains(t, err, "panicked: first request")
	out, err := lambdaHandler{in}.Invoke(t.Context(), event)
	require.NoError(t, err)
	require.Contains(t, string(out), `"body":"ok"`)
	_, err = scfHandler{in}.Invoke(t.Context(), []byte(`{"Type":"Timer"}`))
	require.ErrorContains(t, err, "panicked: tick")
}
