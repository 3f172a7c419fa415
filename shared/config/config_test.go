package config_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/config"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

// TestLocalDefaults are the defaults of docs/product.md's configuration table for the local server.
func TestLocalDefaults(t *testing.T) {
	c, err := config.Load(env(nil), config.Local)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:9000", c.ListenAddr)
	require.Equal(t, uint64(1400000000), c.SDKAppID)
	require.Equal(t, config.DevSecretKey, c.SecretKey)
	require.Equal(t, []string{"administrator"}, c.Admins)
	require.Equal(t, "sqlite:./data/chat.db", c.DatabaseURL)
	require.Equal(t, "http://127.0.0.1:9000/callback", c.Callback.URL, "the local server's own /callback")
	require.Equal(t, config.DevCallbackToken, c.Callback.Token)
	require.Equal(t, 2*time.Second, c.Callback.Timeout)
	require.Equal(t, "", c.Callback.HMACSecret)
	require.Equal(t, 1.0, c.RateLimit)
	require.Equal(t, 5000, c.MaxFollowing)
	var span time.Duration
	for _, d := range c.Callback.Retry {
		span += d
	}
	require.GreaterOrEqual(t, span, 72*time.Hour, "the retry schedule spans at least 72 hours")
	require.Equal(t, c.SDKAppID, c.Receiver.SDKAppID)
	require.Equal(t, []string{c.Callback.Token}, c.Receiver.Tokens)
	require.Equal(t, 60*time.Second, c.Receiver.MaxSkew)
	require.Empty(t, c.Receiver.HMACSecrets)
	require.Empty(t, c.Receiver.DatabaseURL, "unset: receivers keep their log in the app's own database, CHAT_DATABASE_URL")
	require.Equal(t, 720*time.Hour, c.Receiver.Retention)
}

// TestDeployedDefaults: a deployed function has no development secret, database or webhook URL.
func TestDeployedDefaults(t *testing.T) {
	c, err := config.Load(env(nil), config.Deployed)
	require.NoError(t, err)
	require.Equal(t, "", c.SecretKey)
	require.Equal(t, "", c.DatabaseURL)
	require.Equal(t, "", c.Callback.URL)
	require.Equal(t, "", c.Callback.Token)
	require.Equal(t, 1.0, c.RateLimit)
	require.Equal(t, 5000, c.MaxFollowing)
}

func TestSet(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"CHAT_LISTEN_ADDR":      "0.0.0.0:8080",
		"CHAT_SDKAPPID":         "1400123456",
		"CHAT_SECRET_KEY":       "k",
		"CHAT_ADMINS":           " admin1 , admin2,,",
		"CHAT_DATABASE_URL":     "sqlite::memory:",
		"CHAT_CALLBACK_URL":     "",
		"CHAT_CALLBACK_TOKEN":   "tok",
		"CHAT_CALLBACK_TIMEOUT": "500ms",
		"CHAT_CALLBACK_RETRY":   "1s, 1m",
		"CHAT_RATE_LIMIT":       "0.5",
		"CHAT_MAX_FOLLOWING":    "10",
		"RECEIVER_TOKENS":       "old,new",
		"RECEIVER_MAX_SKEW":     "2m",
	}), config.Local)
	require.NoError(t, err)
	require.Equal(t, "0.0.0.0:8080", c.ListenAddr)
	require.Equal(t, uint64(1400123456), c.SDKAppID)
	require.Equal(t, uint64(1400123456), c.Receiver.SDKAppID)
	require.Equal(t, []string{"admin1", "admin2"}, c.Admins)
	require.Equal(t, "", c.Callback.URL, "set to empty: webhooks off")
	require.Equal(t, []time.Duration{time.Second, time.Minute}, c.Callback.Retry)
	require.Equal(t, 0.5, c.RateLimit)
	require.Equal(t, 10, c.MaxFollowing)
	require.Equal(t, []string{"old", "new"}, c.Receiver.Tokens)
	require.Empty(t, c.Receiver.DatabaseURL, "unset: the app's own database")
}

func TestRateLimitZeroDisables(t *testing.T) {
	c, err := config.Load(env(map[string]string{"CHAT_RATE_LIMIT": "0"}), config.Local)
	require.NoError(t, err)
	require.Equal(t, 0.0, c.RateLimit)
}

// TestAdmins: an app has at most 10 administrators; more stops the server at start-up.
func TestAdmins(t *testing.T) {
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = "admin" + string(rune('a'+i))
	}
	c, err := config.Load(env(map[string]string{"CHAT_ADMINS": strings.Join(ten, ",")}), config.Local)
	require.NoError(t, err)
	require.Equal(t, ten, c.Admins)

	_, err = config.Load(env(map[string]string{"CHAT_ADMINS": strings.Join(ten, ",") + ",one_more"}), config.Local)
	require.EqualError(t, err, "CHAT_ADMINS lists 11 administrators; an app has at most 10")
	_, err = config.Load(env(map[string]string{"CHAT_ADMINS": strings.Join(ten, ",") + ",one_more"}), config.Deployed)
	require.Error(t, err)
}

func TestInvalid(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"SDKAppID not a number":          {"CHAT_SDKAPPID": "app"},
		"SDKAppID negative":              {"CHAT_SDKAPPID": "-1"},
		"rate limit not a number":        {"CHAT_RATE_LIMIT": "fast"},
		"rate limit negative":            {"CHAT_RATE_LIMIT": "-1"},
		"max following zero":             {"CHAT_MAX_FOLLOWING": "0"},
		"max following not a number":     {"CHAT_MAX_FOLLOWING": "many"},
		"timeout not a duration":         {"CHAT_CALLBACK_TIMEOUT": "2"},
		"timeout zero":                   {"CHAT_CALLBACK_TIMEOUT": "0s"},
		"retry not a duration":           {"CHAT_CALLBACK_RETRY": "5s,soon"},
		"retry negative":                 {"CHAT_CALLBACK_RETRY": "-5s"},
		"skew zero":                      {"RECEIVER_MAX_SKEW": "0s"},
		"admin longer than a UserID":     {"CHAT_ADMINS": strings.Repeat("a", 33)},
		"receiver SDKAppID not a number": {"RECEIVER_SDKAPPID": "x"},
		"retention negative":             {"RECEIVER_RETENTION": "-1h"},
		"retention not a duration":       {"RECEIVER_RETENTION": "30d"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := config.Load(env(vars), config.Local)
			require.Error(t, err)
			for v := range vars {
				require.Contains(t, err.Error(), v, "the error names the variable")
			}
		})
	}
}

// TestListeningFixesOwnCallback: the default callback URL follows the address really listened on.
func TestListeningFixesOwnCallback(t *testing.T) {
	c, err := config.Load(env(map[string]string{"CHAT_LISTEN_ADDR": ":0"}), config.Local)
	require.NoError(t, err)
	c.Listening(&net.TCPAddr{IP: net.IPv6unspecified, Port: 40123})
	require.Equal(t, "http://127.0.0.1:40123/callback", c.Callback.URL)

	c, err = config.Load(env(map[string]string{"CHAT_CALLBACK_URL": "http://hooks.example/cb"}), config.Local)
	require.NoError(t, err)
	c.Listening(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40123})
	require.Equal(t, "http://hooks.example/cb", c.Callback.URL, "a URL that was set is kept")
}

// TestLoadReceiver: a receiver deployed alone reads RECEIVER_* only; CHAT_* are ignored.
func TestLoadReceiver(t *testing.T) {
	c, err := config.LoadReceiver(env(map[string]string{
		"CHAT_SDKAPPID":         "1400999999",
		"CHAT_CALLBACK_TOKEN":   "server-token",
		"CHAT_DATABASE_URL":     "postgres://server/db",
		"RECEIVER_SDKAPPID":     "1400123456",
		"RECEIVER_TOKENS":       "a, b",
		"RECEIVER_MAX_SKEW":     "30s",
		"RECEIVER_HMAC_SECRETS": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"RECEIVER_DATABASE_URL": "postgres://receiver/db",
		"RECEIVER_RETENTION":    "0",
		"RECEIVER_DENY_OWNERS":  "x,y",
	}), config.Deployed)
	require.NoError(t, err)
	require.Equal(t, config.Receiver{
		SDKAppID:    1400123456,
		Tokens:      []string{"a", "b"},
		MaxSkew:     30 * time.Second,
		HMACSecrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
		DatabaseURL: "postgres://receiver/db",
		DenyOwners:  []string{"x", "y"},
	}, c)

	c, err = config.LoadReceiver(env(map[string]string{
		"CHAT_SDKAPPID": "1400999999", "RECEIVER_TOKENS": "t", "RECEIVER_DATABASE_URL": "sqlite:r.db",
	}), config.Deployed)
	require.NoError(t, err)
	require.Equal(t, uint64(1400000000), c.SDKAppID, "CHAT_SDKAPPID is not read")
	require.Equal(t, 720*time.Hour, c.Retention)

	c, err = config.LoadReceiver(env(map[string]string{
		"RECEIVER_HMAC_SECRETS": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "RECEIVER_DATABASE_URL": "sqlite:r.db",
	}), config.Deployed)
	require.NoError(t, err, "a body secret alone is enough")
	require.Empty(t, c.Tokens)

	for name, tt := range map[string]struct {
		vars map[string]string
		want string
	}{
		"no token, no secret": {map[string]string{"RECEIVER_DATABASE_URL": "sqlite:r.db", "CHAT_CALLBACK_TOKEN": "t"}, "RECEIVER_TOKENS"},
		"empty token":         {map[string]string{"RECEIVER_DATABASE_URL": "sqlite:r.db", "RECEIVER_TOKENS": " , "}, "RECEIVER_TOKENS"},
		"no database":         {map[string]string{"RECEIVER_TOKENS": "t", "CHAT_DATABASE_URL": "sqlite:c.db"}, "RECEIVER_DATABASE_URL"},
		"retention negative":  {map[string]string{"RECEIVER_TOKENS": "t", "RECEIVER_DATABASE_URL": "sqlite:r.db", "RECEIVER_RETENTION": "-1s"}, "RECEIVER_RETENTION"},
		"skew not a duration": {map[string]string{"RECEIVER_TOKENS": "t", "RECEIVER_DATABASE_URL": "sqlite:r.db", "RECEIVER_MAX_SKEW": "1"}, "RECEIVER_MAX_SKEW"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := config.LoadReceiver(env(tt.vars), config.Deployed)
			require.ErrorContains(t, err, tt.want)
		})
	}

	c, err = config.LoadReceiver(env(map[string]string{}), config.Local)
	require.NoError(t, err, "locally nothing is required")
	require.Equal(t, "sqlite:./data/receiver.db", c.DatabaseURL)
	require.Empty(t, c.Tokens)
}
