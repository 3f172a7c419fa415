package platform

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/platform/host"
)

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestConfigErrorStopsAtStart(t *testing.T) {
	env := map[string]string{"CHAT_RATE_LIMIT": "fast"}
	err := host.Run(t.Context(), lookup(env), discard, setup(nil, nil))
	require.ErrorContains(t, err, "CHAT_RATE_LIMIT")
}

// TestOpensTheApp: the function's handler is built from an App on CHAT_DATABASE_URL, and a
// scheduled function ticks with it.
func TestOpensTheApp(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CHAT_DATABASE_URL": "sqlite:" + filepath.Join(dir, "chat.db"), "CHAT_SECRET_KEY": config.DevSecretKey}
	var ticked *app.App
	fn, err := setup(func(_ context.Context, a *app.App) (http.Handler, error) {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(a.Config.DatabaseURL)) }), nil
	}, func(_ context.Context, a *app.App) error { ticked = a; return nil })(lookup(env), discard)
	require.NoError(t, err)
	require.True(t, fn.Scheduled)
	u, err := fn.Open(t.Context(), t.Context())
	require.NoError(t, err)
	defer u.Close()
	w := httptest.NewRecorder()
	u.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/x", nil))
	require.Equal(t, env["CHAT_DATABASE_URL"], w.Body.String())
	require.NoError(t, u.Tick(t.Context()))
	require.NotNil(t, ticked)
	require.NoError(t, u.Ping(t.Context()))

	// A database that cannot be opened fails the open; the next one may succeed.
	blocker := filepath.Join(dir, "data")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	env["CHAT_DATABASE_URL"] = "sqlite:" + filepath.Join(blocker, "chat.db")
	fn, err = setup(nil, nil)(lookup(env), discard)
	require.NoError(t, err)
	_, err = fn.Open(t.Context(), t.Context())
	require.Error(t, err)
}
