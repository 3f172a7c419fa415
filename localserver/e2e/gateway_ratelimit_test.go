package e2e_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

const (
	getInfo      = `{"From_Account":"administrator","To_Account":["administrator"]}`
	getInfoOK    = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[{"To_Account":"administrator","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0}]}`
	checkAdmin   = `{"CheckItem":[{"UserID":"administrator"}]}`
	checkAdminOK = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"UserID":"administrator","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"}]}`
	importAdmin  = `{"UserID":"administrator"}`
	importOK     = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`
)

// limited starts a server whose rate limits are CHAT_RATE_LIMIT=multiplier and whose clock stands
// still unless the test moves it, so that buckets refill only when the test says.
func limited(t *testing.T, databaseURL string, multiplier float64) (*servertest.Server, *servertest.Clock) {
	cfg := servertest.Config(t, databaseURL)
	cfg.RateLimit = multiplier
	clock := servertest.NewClock(time.Now())
	s := servertest.StartApp(t, cfg, func(a *app.App) { a.Now = clock.Now })
	return s, clock
}

// TestRateLimit: CHAT_RATE_LIMIT multiplies Tencent's per-API limits (follow_* and
// account_import 200/s; multiaccount_import, account_check and account_delete 100/s); each API
// has its own token bucket whose burst is one second's worth of calls. 60010 comes before 60007,
// and 60007 before the body checks; refused calls take no token.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := limited(t, b.URL(t), 0.05) // follow_* and account_import 10/s, account_check 5/s
			notAdmin := servertest.QueryAs(appID, "nobody", gen(t, appID, key, "nobody", 3600))
			for i := 0; i < 10; i++ {
				require.Equal(t, importOK, s.Call(t, "im_open_login_svc/account_import", importAdmin), "call %d", i)
			}
			require.Equal(t, fail(false, 60007, "rate limit of account_import exceeded"), s.Call(t, "im_open_login_svc/account_import", importAdmin))

			require.Equal(t, fail(true, 60010, "identifier nobody is not an administrator of this app"), s.Post(t, "/v4/follow/follow_get_info?"+notAdmin, getInfo))
			for i := 0; i < 10; i++ {
				require.Equal(t, getInfoOK, s.Call(t, "follow/follow_get_info", getInfo), "call %d", i)
			}
			require.Equal(t, fail(true, 60007, "rate limit of follow_get_info exceeded"), s.Call(t, "follow/follow_get_info", getInfo))
			require.Equal(t, fail(true, 60007, "rate limit of follow_get_info exceeded"), s.Call(t, "follow/follow_get_info", `[not a body]`), "60007 before 60003")
			require.Equal(t, fail(true, 60010, "identifier nobody is not an administrator of this app"), s.Post(t, "/v4/follow/follow_get_info?"+notAdmin, getInfo), "60010 before 60007")

			// Other APIs have buckets of their own, of their own size.
			for i := 0; i < 10; i++ {
				require.Equal(t, fail(true, 30001, "From_Account is required"), s.Call(t, "follow/follow_check", `{}`))
			}
			require.Equal(t, fail(true, 60007, "rate limit of follow_check exceeded"), s.Call(t, "follow/follow_check", `{}`))
			for i := 0; i < 5; i++ {
				require.Equal(t, checkAdminOK, s.Call(t, "im_open_login_svc/account_check", checkAdmin))
			}
			require.Equal(t, fail(false, 60007, "rate limit of account_check exceeded"), s.Call(t, "im_open_login_svc/account_check", checkAdmin))
			for _, c := range []struct{ path, body string }{
				{"im_open_login_svc/multiaccount_import", `{"Accounts":["administrator"]}`},
				{"im_open_login_svc/account_delete", `{"DeleteItem":[{"UserID":"nobody"}]}`},
			} {
				for i := 0; i < 5; i++ {
					require.Contains(t, s.Call(t, c.path, c.body), `"ActionStatus":"OK"`)
				}
				require.Contains(t, s.Call(t, c.path, c.body), `"ErrorCode":60007`, c.path)
			}
			for _, c := range []string{"follow/follow_add", "follow/follow_delete", "follow/follow_get"} {
				for i := 0; i < 10; i++ {
					require.Contains(t, s.Call(t, c, `{}`), `"ErrorCode":30001`)
				}
				require.Contains(t, s.Call(t, c, `{}`), `"ErrorCode":60007`, c)
			}

			// A tenth of a second later, follow_get_info has one token again and account_check half a one.
			clock.Advance(100 * time.Millisecond)
			require.Equal(t, getInfoOK, s.Call(t, "follow/follow_get_info", getInfo))
			require.Equal(t, fail(true, 60007, "rate limit of follow_get_info exceeded"), s.Call(t, "follow/follow_get_info", getInfo))
			require.Equal(t, fail(false, 60007, "rate limit of account_check exceeded"), s.Call(t, "im_open_login_svc/account_check", checkAdmin))
			clock.Advance(100 * time.Millisecond)
			require.Equal(t, checkAdminOK, s.Call(t, "im_open_login_svc/account_check", checkAdmin))

			// After a quiet second or more, the bucket holds one second's worth, no more.
			clock.Advance(time.Hour)
			for i := 0; i < 10; i++ {
				require.Equal(t, getInfoOK, s.Call(t, "follow/follow_get_info", getInfo), "call %d", i)
			}
			require.Equal(t, fail(true, 60007, "rate limit of follow_get_info exceeded"), s.Call(t, "follow/follow_get_info", getInfo))
		})
	}
}

// TestRateLimitFractional: a limit under one call per second still allows one call at a time.
func TestRateLimitFractional(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, clock := limited(t, b.URL(t), 0.0025) // follow_get_info 0.5/s, burst 1
			s.Import(t, admin)
			require.Equal(t, getInfoOK, s.Call(t, "follow/follow_get_info", getInfo))
			require.Equal(t, fail(true, 60007, "rate limit of follow_get_info exceeded"), s.Call(t, "follow/follow_get_info", getInfo))
			clock.Advance(1500 * time.Millisecond)
			require.Equal(t, fail(true, 60007, "rate limit of follow_get_info exceeded"), s.Call(t, "follow/follow_get_info", getInfo))
			clock.Advance(500 * time.Millisecond)
			require.Equal(t, getInfoOK, s.Call(t, "follow/follow_get_info", getInfo))
		})
	}
}

// TestRateLimitOff: 0 disables the limits; many more calls than one second's worth pass.
func TestRateLimitOff(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, _ := limited(t, b.URL(t), 0)
			s.Import(t, admin)
			for i := 0; i < 250; i++ {
				require.Equal(t, checkAdminOK, s.Call(t, "im_open_login_svc/account_check", checkAdmin))
			}
		})
	}
}
