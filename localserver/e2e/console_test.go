package e2e_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/console"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func do(t *testing.T, method, u, auth string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestTokenGate(t *testing.T) {
	s := servertest.Start(t, storetest.SQLite(t), func(c *config.Config) { c.Console.Exposed, c.Console.Token = true, "tok" })
	resp, _ := do(t, "GET", s.URL+"/console", "", nil)
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/console/login", resp.Header.Get("Location"))

	resp, _ = do(t, "GET", s.URL+"/console", "Bearer nope", nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, page := do(t, "GET", s.URL+"/console", "Bearer tok", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, page, `id="deliveries"`)

	resp, _ = do(t, "POST", s.URL+"/console/login", "", url.Values{"token": {"nope"}})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = do(t, "POST", s.URL+"/console/login", "", url.Values{"token": {"tok"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	cookies := resp.Cookies()
	require.Len(t, cookies, 1)
	assert.True(t, cookies[0].Secure)
	assert.True(t, cookies[0].HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, cookies[0].SameSite)

	// Actions need the CSRF token unless the bearer header is sent.
	resp, _ = do(t, "POST", s.URL+"/console/redeliver-dead", "", url.Values{})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	req, err := http.NewRequest("POST", s.URL+"/console/redeliver-dead", strings.NewReader("csrf=forged"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookies[0])
	resp, err = noRedirect.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp, _ = do(t, "POST", s.URL+"/console/redeliver-dead", "Bearer tok", url.Values{})
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
}

func TestOpenOnLoopbackButCSRFChecked(t *testing.T) {
	s := servertest.Start(t, storetest.SQLite(t))
	resp, page := do(t, "GET", s.URL+"/console", "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'", resp.Header.Get("Content-Security-Policy"))
	resp, _ = do(t, "POST", s.URL+"/console/redeliver-dead", "", url.Values{"csrf": {"forged"}})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	// The pages carry the token; a cross-site form cannot read it.
	s.Import(t, "alice")
	resp, page = do(t, "GET", s.URL+"/console/mirror?account=alice", "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	_ = page
}

func TestNoTokenOffLoopback(t *testing.T) {
	s := servertest.Start(t, storetest.SQLite(t), func(c *config.Config) { c.Console.Exposed = true })
	resp, body := do(t, "GET", s.URL+"/console", "", nil)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Contains(t, body, "CHAT_CONSOLE_TOKEN")
	_, err := console.New(console.Options{})
	assert.ErrorIs(t, err, console.ErrNoToken)
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:9000": true, "[::1]:9000": true, "localhost:9000": true,
		":9000": false, "0.0.0.0:9000": false, "10.0.0.5:9000": false, "bad": false} {
		assert.Equal(t, want, console.Loopback(addr), addr)
	}
}
