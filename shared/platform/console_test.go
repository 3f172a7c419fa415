package platform

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/platform/host"
)

func TestConsoleRefusesToStartWithoutToken(t *testing.T) {
	env := map[string]string{"CHAT_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "chat.db"), "CHAT_SECRET_KEY": config.DevSecretKey}
	build := func(context.Context, *app.App) (http.Handler, error) { return http.NotFoundHandler(), nil }
	err := host.Run(t.Context(), lookup(env), discard, consoleSetup(build))
	require.ErrorContains(t, err, "CHAT_CONSOLE_TOKEN")
}

// TestUnitHasMetrics: the functions' units carry the App's metrics, which host serves at
// GET /metrics in HTTP mode (tested in host).
func TestUnitHasMetrics(t *testing.T) {
	env := map[string]string{"CHAT_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "chat.db"), "CHAT_SECRET_KEY": config.DevSecretKey}
	fn, err := setup(nil, nil)(lookup(env), discard)
	require.NoError(t, err)
	u, err := fn.Open(t.Context(), t.Context())
	require.NoError(t, err)
	defer u.Close()
	require.NotNil(t, u.Metrics)
}
