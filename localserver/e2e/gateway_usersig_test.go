package e2e_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestUserSigInQuery: Tencent's sigs use '*', '-' and '_'; a client may send them as they are or
// percent-encoded (%2A for '*'), and both work. Sigs with a TLS.userbuf are accepted.
func TestUserSigInQuery(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, admin)
			const okGetInfo = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","FollowInfo":[{"To_Account":"administrator","ResultCode":0,"ResultInfo":"","FollowerCount":0,"FollowingCount":0,"MutualFollowingCount":0}]}`
			const body = `{"From_Account":"administrator","To_Account":["administrator"]}`
			// Find a sig with every special character in it.
			var sig string
			for i := 1; sig == ""; i++ {
				candidate := gen(t, appID, key, admin, 86400+i)
				if strings.Contains(candidate, "*") && strings.Contains(candidate, "-") && strings.Contains(candidate, "_") {
					sig = candidate
				}
				require.Less(t, i, 10000)
			}
			raw := "sdkappid=1400000000&identifier=administrator&usersig=" + sig + "&random=1&contenttype=json"
			encoded := "sdkappid=1400000000&identifier=administrator&usersig=" +
				strings.NewReplacer("*", "%2A", "-", "%2D", "_", "%5F").Replace(sig) + "&random=1&contenttype=json"
			lower := "sdkappid=1400000000&identifier=%61dministrator&usersig=" + strings.ReplaceAll(sig, "*", "%2a")
			for name, q := range map[string]string{"raw": raw, "percent-encoded": encoded, "lower-case escapes": lower, "QueryEscape": servertest.QueryAs(appID, admin, sig)} {
				t.Run(name, func(t *testing.T) {
					require.Equal(t, okGetInfo, s.Post(t, "/v4/follow/follow_get_info?"+q, body))
				})
			}
			// '+' in a query string means a space, so a sig in the standard base64 alphabet does not decode.
			std := strings.NewReplacer("*", "+", "-", "/", "_", "=").Replace(sig)
			require.Equal(t, fail(true, 70003, "usersig is not valid base64"),
				s.Post(t, "/v4/follow/follow_get_info?sdkappid=1400000000&identifier=administrator&usersig="+std, body))

			for name, mk := range map[string]func() (string, error){
				"with a userbuf":                         func() (string, error) { return tencentyun.GenUserSigWithBuf(appID, key, admin, 3600, []byte("buffer")) },
				"a private map key":                      func() (string, error) { return tencentyun.GenPrivateMapKey(appID, key, admin, 3600, 7, 255) },
				"random and contenttype are not checked": func() (string, error) { return tencentyun.GenUserSig(appID, key, admin, 3600) },
			} {
				t.Run(name, func(t *testing.T) {
					sig, err := mk()
					require.NoError(t, err)
					q := "sdkappid=1400000000&identifier=administrator&usersig=" + url.QueryEscape(sig)
					if strings.HasPrefix(name, "random") {
						q += "&random=not-a-number&contenttype=xml"
					}
					require.Equal(t, okGetInfo, s.Post(t, "/v4/follow/follow_get_info?"+q, body))
				})
			}
		})
	}
}

// TestUserSigCacheOverHTTP: a sig that verified keeps working on later calls, and the same sig
// presented with another identifier is refused although it is cached.
func TestUserSigCacheOverHTTP(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, admin)
			sig := gen(t, appID, key, admin, 3600)
			for i := 0; i < 3; i++ {
				require.Equal(t, `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"UserID":"administrator","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"}]}`,
					s.Post(t, "/v4/im_open_login_svc/account_check?"+servertest.QueryAs(appID, admin, sig), `{"CheckItem":[{"UserID":"administrator"}]}`))
				require.Equal(t, fail(false, 70013, "usersig was made for another identifier"),
					s.Post(t, "/v4/im_open_login_svc/account_check?"+servertest.QueryAs(appID, "b"+strconv.Itoa(i), sig), `{"CheckItem":[{"UserID":"administrator"}]}`))
			}
		})
	}
}
