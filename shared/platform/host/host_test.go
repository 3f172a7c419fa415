package host

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/metrics"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// ticks counts the ticks of a scheduled function and fails them while fail is set.
type ticks struct {
	n    atomic.Int64
	fail atomic.Bool
}

func (c *ticks) function(every time.Duration) Function {
	tick := func(ctx context.Context) error {
		c.n.Add(1)
		if c.fail.Load() {
			return errors.New("tick failed on purpose")
		}
		return nil
	}
	open := func(context.Context, context.Context) (*Unit, error) {
		return &Unit{Handler: http.NotFoundHandler(), Tick: tick}, nil
	}
	return Function{Open: open, Scheduled: true, TickEvery: every}
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

// runHTTP runs fn in HTTP mode on a loopback listener it hands over until the test ends and
// returns its base URL.
func runHTTP(t *testing.T, fn Function, env map[string]string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			slog.New(slog.NewTextHandler(io.Discard, nil)), fixed(fn), func() (net.Listener, error) { return ln, nil })
	}()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return "http://" + ln.Addr().String()
}

// fixed is the Setup of fn, which reads no configuration.
func fixed(fn Function) Setup {
	return func(func(string) (string, bool), *slog.Logger) (Function, error) { return fn, nil }
}

func deployedEnv(*testing.T) map[string]string { return map[string]string{} }

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

func TestSetupErrorStopsAtStart(t *testing.T) {
	err := Run(t.Context(), func(string) (string, bool) { return "", false }, slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(func(string) (string, bool), *slog.Logger) (Function, error) {
			return Function{}, errors.New("RECEIVER_TOKENS is required")
		})
	require.EqualError(t, err, "RECEIVER_TOKENS is required")
}

// TestUnavailableUntilItOpens: a unit that cannot be opened makes requests answer as
// unavailable, without stopping the instance; the first request after the cause is gone opens
// it.
func TestUnavailableUntilItOpens(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	e := &echo{}
	fn := Function{Open: func(ctx, process context.Context) (*Unit, error) {
		if broken.Load() {
			return nil, errors.New("the database is not there")
		}
		return e.function().Open(ctx, process)
	}}
	base := runHTTP(t, fn, deployedEnv(t))

	for _, tt := range []struct {
		path string
		code protocol.Code
	}{
		{"/v4/follow/follow_add", envelope.Follow.InternalCode()},
		{"/v4/official_account_open_http_svc/create_official_account", protocol.CodeOfficialRetry},
		{"/v4/im_open_login_svc/account_check", envelope.Account.InternalCode()},
	} {
		status, body := post(t, base+tt.path+"?"+restQuery, "{}")
		require.Equal(t, http.StatusOK, status)
		svc := envelope.ServiceByName(strings.Split(tt.path, "/")[2])
		require.JSONEq(t, string(envelope.AppendFail(nil, svc, tt.code, "service unavailable, retry")), body)
	}
	status, _ := post(t, base+"/callback", "x")
	require.Equal(t, http.StatusServiceUnavailable, status)
	resp, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)

	broken.Store(false)
	status, body := post(t, base+"/callback", "x")
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, `{"answer":true}`, body)
}

// TestPanicFailsOneInvocation: a panicking handler or tick fails its invocation, and the
// instance answers the next one.
func TestPanicFailsOneInvocation(t *testing.T) {
	var calls atomic.Int64
	fn := Function{
		Open: func(context.Context, context.Context) (*Unit, error) {
			return &Unit{
				Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if calls.Add(1) == 1 {
						panic("first request")
					}
					w.Write([]byte("ok"))
				}),
				Tick: func(context.Context) error { panic("tick") },
			}, nil
		},
		Scheduled: true,
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

func TestMetricsInHTTPMode(t *testing.T) {
	m := metrics.New()
	fn := Function{Open: func(context.Context, context.Context) (*Unit, error) {
		return &Unit{Handler: http.NotFoundHandler(), Metrics: m}, nil
	}}
	base := runHTTP(t, fn, map[string]string{})
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(b), "go_goroutines")
}
