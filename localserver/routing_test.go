package localserver_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// send writes a request whose target is exactly target (no client cleaning or escaping) and
// reads the answer.
func send(t *testing.T, base, method, target, body string) (int, http.Header, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, method+" "+target+" HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\nConnection: close\r\n"+
		"Content-Length: "+itoa(len(body))+"\r\n\r\n"+body)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestRoutingNeverRedirects: the local server answers every path below /v4 and /callback itself,
// matched as sent (docs/wire.md section 7): no 307 whose Location would carry the UserSig, and no
// call made through an unclean path.
func TestRoutingNeverRedirects(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, "a", "b")
			follow := `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`
			for _, p := range []string{
				"//v4/follow/follow_add",
				"/./v4/follow/follow_add",
				"/v4/./follow/follow_add",
				"/v4/x/../follow/follow_add",
				"/v4/follow/../follow/follow_add",
				"/v4//follow/follow_add",
				"/v4/follow%2Ffollow_add",
				"/v4/follow/follow%5Fadd",
				"/%76%34/follow/follow_add",
				"/v4/follow/follow_add/",
				"/v4",
			} {
				status, header, body := send(t, s.URL, http.MethodPost, p+"?"+s.Query(), follow)
				require.Equal(t, http.StatusOK, status, "%s: %s", p, body)
				require.Empty(t, header.Get("Location"), p)
				require.Contains(t, body, `"ActionStatus":"FAIL","ErrorCode":60009`, p)
				require.NotContains(t, body, s.Query(), "the answer does not repeat the query")
			}
			require.Contains(t, s.Call(t, "follow/follow_check", `{"From_Account":"a","To_Account":["b"]}`), `"FollowType":0`,
				"no follow was made through an unclean path")

			for _, p := range []string{
				"/callback/x/../Follow.CallbackAfterFollowAdd",
				"//callback",
				"/./callback",
				"/callback/",
				"/callback%2FFollow.CallbackAfterFollowAdd",
				"/callback/Follow.CallbackAfterFollowAdd/.",
				"/callback/Follow.CallbackAfter%46ollowAdd",
			} {
				status, header, body := send(t, s.URL, http.MethodPost, p+"?SdkAppid=1400000000&CallbackCommand=Follow.CallbackAfterFollowAdd", `{}`)
				require.Equal(t, http.StatusBadRequest, status, "%s: %s", p, body)
				require.Empty(t, header.Get("Location"), p)
				require.Contains(t, body, `"ActionStatus":"FAIL","ErrorCode":60009`, p)
			}

			for _, p := range []string{"//healthz", "/./healthz", "/x/../healthz"} {
				status, header, _ := send(t, s.URL, http.MethodGet, p, "")
				require.Equal(t, http.StatusNotFound, status, p)
				require.Empty(t, header.Get("Location"), p)
			}
			status, _, _ := send(t, s.URL, http.MethodGet, "/healthz", "")
			require.Equal(t, http.StatusOK, status)
		})
	}
}
