package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answers serves the given bodies in turn (the last one again when they run out) and counts
// the attempts.
func answers(t *testing.T, bodies ...string) (*Client, *atomic.Int32, *[]time.Duration) {
	t.Helper()
	var n atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(bodies) {
			i = len(bodies) - 1
		}
		if bodies[i] == "drop" { // no answer at all: the connection is cut
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		if bodies[i] == "502" {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Write([]byte(bodies[i]))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	c, err := New(Config{BaseURL: "http://" + ln.Addr().String(), SDKAppID: 1400000000, Identifier: "administrator", SecretKey: "k"})
	require.NoError(t, err)
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	return c, &n, &waits
}

const okBody = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}`

func failBody(code string) string {
	return `{"ActionStatus":"FAIL","ErrorCode":` + code + `,"ErrorInfo":"x","ErrorDisplay":""}`
}

func TestRetryPolicy(t *testing.T) {
	idem := endpoint{service: "follow", command: "follow_check", idempotent: true}
	once := endpoint{service: "official_account_open_http_svc", command: "create_official_account"}
	tests := []struct {
		name     string
		ep       endpoint
		bodies   []string
		attempts int32
		code     int // 0: the call succeeds
	}{
		{"30006 is retried until OK", idem, []string{failBody("30006"), failBody("30006"), okBody}, 3, 0},
		{"30007 is retried", idem, []string{failBody("30007"), okBody}, 2, 0},
		{"70500 is retried", idem, []string{failBody("70500"), okBody}, 2, 0},
		{"10004 is retried", idem, []string{failBody("10004"), okBody}, 2, 0},
		{"20005 is retried", idem, []string{failBody("20005"), okBody}, 2, 0},
		{"60007 is retried", idem, []string{failBody("60007"), okBody}, 2, 0},
		{"a cut connection is retried", idem, []string{"drop", okBody}, 2, 0},
		{"HTTP 502 is retried", idem, []string{"502", okBody}, 2, 0},
		{"an answer that is not an envelope is retried", idem, []string{"<html>busy</html>", okBody}, 2, 0},
		{"30001 is not retried", idem, []string{failBody("30001"), okBody}, 1, 30001},
		{"70001 is not retried", idem, []string{failBody("70001"), okBody}, 1, 70001},
		{"6017 is not retried", idem, []string{failBody("6017"), okBody}, 1, 6017},
		{"gives up after four attempts", idem, []string{failBody("20005")}, 4, 20005},
		{"a non-idempotent call is not retried", once, []string{failBody("20005"), okBody}, 1, 20005},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, n, _ := answers(t, tt.bodies...)
			_, err := call[struct{}](context.Background(), c, tt.ep, struct{}{})
			assert.Equal(t, tt.attempts, n.Load(), "attempts")
			if tt.code == 0 {
				require.NoError(t, err)
				return
			}
			var apiErr *Error
			require.True(t, errors.As(err, &apiErr), "error %v is a *client.Error", err)
			assert.Equal(t, tt.code, apiErr.ErrorCode)
			assert.Equal(t, "FAIL", apiErr.ActionStatus)
			assert.Equal(t, "x", apiErr.ErrorInfo)
		})
	}
}

func TestRetryNonIdempotentWhenAsked(t *testing.T) {
	c, n, _ := answers(t, failBody("20005"), okBody)
	c.retry.NonIdempotent = true
	_, err := call[struct{}](context.Background(), c, endpoint{service: "s", command: "c"}, struct{}{})
	require.NoError(t, err)
	assert.Equal(t, int32(2), n.Load())
}

func TestRetryWaits(t *testing.T) {
	c, _, waits := answers(t, failBody("20005"), failBody("20005"), failBody("60007"), okBody)
	_, err := call[struct{}](context.Background(), c, endpoint{service: "s", command: "c", idempotent: true}, struct{}{})
	require.NoError(t, err)
	require.Len(t, *waits, 3)
	// Full jitter over the upper half: 50-100 ms, then 100-200 ms; 60007 waits 1-1.5 s.
	assert.GreaterOrEqual(t, (*waits)[0], 50*time.Millisecond)
	assert.Less(t, (*waits)[0], 100*time.Millisecond)
	assert.GreaterOrEqual(t, (*waits)[1], 100*time.Millisecond)
	assert.Less(t, (*waits)[1], 200*time.Millisecond)
	assert.GreaterOrEqual(t, (*waits)[2], time.Second)
	assert.Less(t, (*waits)[2], 1500*time.Millisecond)
}

func TestUserSigIsCachedAndRenewed(t *testing.T) {
	c, err := New(Config{BaseURL: "http://127.0.0.1:1", SDKAppID: 1400000000, Identifier: "administrator", SecretKey: "k", SigLifetime: time.Hour})
	require.NoError(t, err)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	first, err := c.userSig()
	require.NoError(t, err)
	now = now.Add(53 * time.Minute) // within the first nine tenths of the hour
	again, err := c.userSig()
	require.NoError(t, err)
	assert.Equal(t, first, again, "cached")
	now = now.Add(2 * time.Minute) // past 54 minutes: due for renewal
	c.sig = "stale"                // GenUserSig reads the real clock, so mark the old one
	renewed, err := c.userSig()
	require.NoError(t, err)
	assert.NotEqual(t, "stale", renewed, "renewed")
}

func TestNewChecksConfig(t *testing.T) {
	good := Config{BaseURL: "https://adminapisgp.im.qcloud.com", SDKAppID: 1, Identifier: "a", SecretKey: "k"}
	for name, change := range map[string]func(*Config){
		"relative URL":  func(c *Config) { c.BaseURL = "/v4" },
		"ftp URL":       func(c *Config) { c.BaseURL = "ftp://x" },
		"no SDKAppID":   func(c *Config) { c.SDKAppID = 0 },
		"no identifier": func(c *Config) { c.Identifier = "" },
		"no key":        func(c *Config) { c.SecretKey = "" },
		"short sigs":    func(c *Config) { c.SigLifetime = time.Second },
	} {
		cfg := good
		change(&cfg)
		_, err := New(cfg)
		assert.Error(t, err, name)
	}
	_, err := New(good)
	assert.NoError(t, err)
}
