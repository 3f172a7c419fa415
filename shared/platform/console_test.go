package platform

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/app"
)

func TestConsoleRefusesToStartWithoutToken(t *testing.T) {
	env := deployedEnv(t)
	fn := function{build: func(context.Context, *app.App) (http.Handler, error) { return http.NotFoundHandler(), nil }}
	fn.check = consoleCheck
	err := run(t.Context(), func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		slog.New(slog.NewTextHandler(io.Discard, nil)), fn)
	require.ErrorContains(t, err, "CHAT_CONSOLE_TOKEN")
}

func TestMetricsInHTTPMode(t *testing.T) {
	e := &echo{}
	base := runHTTP(t, e.function(), deployedEnv(t))
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(b), "chatfollow_webhook_deliveries{state=\"dead\"} 0")
	require.Contains(t, string(b), "go_goroutines")
}
