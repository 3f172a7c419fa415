package function

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// TestMetrics: a receiver deployed alone serves its own metrics, and counts the event it records.
func TestMetrics(t *testing.T) {
	env := map[string]string{
		"RECEIVER_SDKAPPID":     "1400000000",
		"RECEIVER_TOKENS":       "token",
		"RECEIVER_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "receiver.db"),
	}
	fn, err := Setup("", receiver.Handlers{})(func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	u, err := fn.Open(t.Context(), t.Context())
	require.NoError(t, err)
	defer u.Close()
	require.NotNil(t, u.Metrics)

	now := time.Now()
	q := "SdkAppid=1400000000&CallbackCommand=Follow.CallbackAfterFollowDelete&contenttype=json&ClientIP=192.0.2.1&OptPlatform=RESTAPI" +
		"&RequestTime=" + strconv.FormatInt(now.Unix(), 10) + "&Sign=" + webhook.Sign("token", now.Unix())
	body := `{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"a","To_Account":["b"],"EventTime":` + strconv.FormatInt(now.UnixMilli(), 10) + `}`
	w := httptest.NewRecorder()
	u.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/callback?"+q, strings.NewReader(body)))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())

	w = httptest.NewRecorder()
	u.Metrics.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Contains(t, w.Body.String(), `chatfollow_receiver_events_total{command="Follow.CallbackAfterFollowDelete",result="recorded"} 1`)
}
