// Package servertest starts the local server in-process on a loopback port, over a real store,
// and makes signed REST calls to it, for the tests of every function.
package servertest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

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
	URL    string
	App    *app.App
	Config config.Config
	sig    string
	http   *httptest.Server
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
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Open(ctx, cfg, log)
	require.NoError(t, err)
	h, err := localserver.New(a)
	require.NoError(t, err)
	hs := httptest.NewServer(h)
	ctx, cancel := context.WithCancel(ctx)
	dispatching := make(chan struct{})
	go func() { defer close(dispatching); a.RunDispatcher(ctx) }()
	t.Cleanup(func() {
		hs.Close()
		cancel()
		<-dispatching
		a.Close()
	})
	sig, err := tencentyun.GenUserSig(int(cfg.SDKAppID), cfg.SecretKey, Admin, 86400)
	require.NoError(t, err)
	return &Server{URL: hs.URL, App: a, Config: cfg, sig: sig, http: hs}
}

// Query is the query string of a REST call by the administrator.
func (s *Server) Query() string {
	return "sdkappid=" + itoa(s.Config.SDKAppID) + "&identifier=" + Admin + "&usersig=" + s.sig + "&random=99999999&contenttype=json"
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
	resp, err := http.Post(s.URL+pathAndQuery, "application/json", strings.NewReader(body))
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

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
