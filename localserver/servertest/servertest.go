// Package servertest starts the local server in-process on a loopback port, over a real store,
// and makes signed REST calls to it, for the tests of every function.
//
// Internal to this module: not a supported API for other modules.
package servertest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/localserver"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
)

// Admin is the administrator of test servers.
const Admin = "administrator"

// Server is a running local server.
type Server struct {
	URL     string
	App     *app.App
	Config  config.Config
	Handler http.Handler // the local server's handler, for calls without a connection
	Outbox  *Outbox      // the recorded outbox of a Scenario; nil otherwise
	sig     string
	http    *httptest.Server
	stop    func() // stops the background dispatcher and waits for it
	close   sync.Once
}

// Option changes the configuration before the server starts.
type Option func(*config.Config)

// Config returns the configuration test servers start from: development defaults, the given
// database, webhooks off and rate limits off.
func Config(t testing.TB, databaseURL string) config.Config {
	cfg, err := config.Load(func(string) (string, bool) { return "", false }, config.Local)
	require.NoError(t, err)
	cfg.DatabaseURL = databaseURL
	cfg.Callback.URL = ""
	cfg.RateLimit = 0
	return cfg
}

// Start runs a local server on databaseURL until the test ends.
func Start(t testing.TB, databaseURL string, opts ...Option) *Server {
	t.Helper()
	cfg := Config(t, databaseURL)
	for _, o := range opts {
		o(&cfg)
	}
	return StartConfig(t, cfg)
}

// StartConfig runs a local server with cfg until the test ends.
func StartConfig(t testing.TB, cfg config.Config) *Server {
	t.Helper()
	return StartApp(t, cfg, nil)
}

// StartApp runs a local server with cfg until the test ends; prepare, when not nil, may change
// the opened App (its clock, its store, its outbox) before the handler is built from it.
func StartApp(t testing.TB, cfg config.Config, prepare func(*app.App)) *Server {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Open(ctx, cfg, log)
	require.NoError(t, err)
	if prepare != nil {
		prepare(a)
	}
	h, err := localserver.New(a)
	if err != nil {
		a.Close()
		require.NoError(t, err)
	}
	hs := httptest.NewServer(h)
	// As in the local server, a background dispatcher delivers the outbox (when webhooks are on).
	dctx, cancel := context.WithCancel(ctx)
	dispatching := make(chan struct{})
	go func() { defer close(dispatching); a.RunDispatcher(dctx) }()
	sig, err := tencentyun.GenUserSig(int(cfg.SDKAppID), cfg.SecretKey, Admin, 86400)
	require.NoError(t, err)
	s := &Server{URL: hs.URL, App: a, Config: cfg, Handler: h, sig: sig, http: hs,
		stop: func() { cancel(); <-dispatching }}
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and closes its store; it runs at the end of the test if not before.
func (s *Server) Close() {
	s.close.Do(func() {
		s.http.Close()
		s.stop()
		s.App.Close()
	})
}

// Query is the query string of a REST call by the administrator.
func (s *Server) Query() string {
	return QueryAs(s.Config.SDKAppID, Admin, s.sig)
}

// QueryAs is the query string of a REST call by identifier with sig; the values are escaped.
func QueryAs(sdkAppID uint64, identifier, sig string) string {
	return "sdkappid=" + itoa(sdkAppID) + "&identifier=" + url.QueryEscape(identifier) + "&usersig=" + url.QueryEscape(sig) + "&random=99999999&contenttype=json"
}

// Call posts body to /v4/<path> as the administrator and returns the answer's body, requiring
// HTTP 200.
func (s *Server) Call(t testing.TB, path, body string) string {
	t.Helper()
	return s.Post(t, "/v4/"+path+"?"+s.Query(), body)
}

// Post posts body to the server's path (with its query) and returns the answer's body,
// requiring HTTP 200.
func (s *Server) Post(t testing.TB, pathAndQuery, body string) string {
	t.Helper()
	return s.Do(t, http.MethodPost, pathAndQuery, strings.NewReader(body))
}

// Do sends a request with any method and body to the server's path (with its query) and
// returns the answer's body, requiring HTTP 200.
func (s *Server) Do(t testing.TB, method, pathAndQuery string, body io.Reader) string {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+pathAndQuery, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)
	return string(bytes.TrimSpace(b))
}

// Import imports accounts by UserID.
func (s *Server) Import(t testing.TB, ids ...string) {
	t.Helper()
	for _, id := range ids {
		require.JSONEq(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`,
			s.Call(t, "im_open_login_svc/account_import", `{"UserID":"`+id+`"}`))
	}
}

// Clock is a settable clock for App.Now, so that times in answers are known in advance.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
