package localserver_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/localserver"
	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// BenchmarkFollowAddOutbox measures follow_add (20 new targets per call, SQLite, through the
// local server's handler) without webhooks and with the outbox write of its
// Follow.CallbackAfterFollowAdd event (delivery itself left out), to price the outbox write.
// Run it with a fixed count so every call follows 20 accounts it did not follow yet:
//
//	go test -run XXX -bench FollowAddOutbox -benchtime 3000x ./localserver/
func BenchmarkFollowAddOutbox(b *testing.B) {
	for _, withOutbox := range []bool{false, true} {
		name := "webhooks-off"
		if withOutbox {
			name = "outbox-write"
		}
		b.Run(name, func(b *testing.B) {
			cfg := servertest.Config(b, storetest.SQLite(b))
			a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			require.NoError(b, err)
			defer a.Close()
			// Events are written in the call's transaction; nothing delivers them here.
			a.Outbox = outbox.New(a.Store, withOutbox, nil, a.Now)
			h, err := localserver.New(a)
			require.NoError(b, err)
			sig, err := tencentyun.GenUserSig(int(cfg.SDKAppID), cfg.SecretKey, servertest.Admin, 86400)
			require.NoError(b, err)
			query := fmt.Sprintf("?sdkappid=%d&identifier=%s&usersig=%s&random=1&contenttype=json", cfg.SDKAppID, servertest.Admin, sig)

			const accounts = 500
			var ids []string
			for i := range accounts {
				ids = append(ids, fmt.Sprintf("\"user%d\"", i))
			}
			for i := 0; i < accounts; i += 100 {
				post(b, h, "/v4/im_open_login_svc/multiaccount_import"+query, `{"Accounts":[`+strings.Join(ids[i:i+100], ",")+`]}`)
			}
			bodies := make([]string, b.N)
			for i := range bodies {
				from := i % accounts
				var items []string
				for k := range 20 {
					to := (from + 1 + 20*(i/accounts) + k) % accounts
					items = append(items, `{"To_Account":`+ids[to]+`}`)
				}
				bodies[i] = `{"From_Account":` + ids[from] + `,"FollowItem":[` + strings.Join(items, ",") + `]}`
			}
			b.ResetTimer()
			for i := range b.N {
				post(b, h, "/v4/follow/follow_add"+query, bodies[i])
			}
		})
	}
}

func post(b *testing.B, h http.Handler, url, body string) {
	req := httptest.NewRequest(http.MethodPost, url, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"ActionStatus":"OK"`) {
		b.Fatalf("%s: %s", url, rec.Body)
	}
}
