package platform

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"
	scfevents "github.com/tencentyun/scf-go-lib/events"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/platform/host"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
	"github.com/chatfollow/chatfollow/shared/rest"
)

// The routing cases of docs/wire.md section 7, as each mode must answer them: never a redirect,
// the path matched as sent. restPaths are answered by a REST function with HTTP 200 and
// {"ErrorCode":60009}; callbackPaths by a receiver function with HTTP 400 and the same code.
var (
	restPaths = []string{
		"//v4/follow/follow_add",
		"/./v4/follow/follow_add",
		"/v4/./follow/follow_add",
		"/v4/follow/../follow/follow_add",
		"/v4/follow%2Ffollow_add",
		"/v4/follow/follow%5Fadd",
		"/v4//follow/follow_add",
		"/v4/follow/follow_add/",
	}
	callbackPaths = []string{
		"/callback/x/../Follow.CallbackAfterFollowAdd",
		"//callback",
		"/./callback",
		"/callback%2FFollow.CallbackAfterFollowAdd",
		"/callback/Follow.CallbackAfterFollowAdd/.",
	}
	// invalidEscape cannot reach a handler in HTTP mode (net/http answers 400 itself), but events
	// carry it and it must be answered like the others.
	invalidEscape = "/v4/follow/%zz"
)

const routingQuery = "sdkappid=1400000000&identifier=administrator&usersig=x"

func restFunction(t *testing.T) host.Function {
	// Any operation at follow_add: routing is decided before the operation runs.
	op := rest.Operation{Service: envelope.Follow, Command: "follow_add", Rate: 200,
		Serve: func(context.Context, rest.Deps, *rest.Call) (any, error) { return struct{}{}, nil }}
	return routingFunction(t, setup(rest.Function(op), nil))
}

func receiverFunction(t *testing.T) host.Function {
	return routingFunction(t, function.Setup("", receiver.Handlers{}))
}

// routingFunction is the function s sets up with a fresh database of its own.
func routingFunction(t *testing.T, s host.Setup) host.Function {
	t.Helper()
	db := "sqlite:" + filepath.Join(t.TempDir(), "chat.db")
	env := map[string]string{
		"CHAT_DATABASE_URL":     db,
		"CHAT_SECRET_KEY":       config.DevSecretKey,
		"RECEIVER_DATABASE_URL": db,
		"RECEIVER_TOKENS":       "token",
	}
	fn, err := s(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	return fn
}

// serveHTTP serves fn's routes over real HTTP on a listener of its own until the test ends, and
// returns the base URL.
func serveHTTP(t *testing.T, fn host.Function) string {
	t.Helper()
	u, err := fn.Open(t.Context(), t.Context())
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- host.Serve(ctx, ln, u.Handler) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		if u.Close != nil {
			u.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// requireRouted checks one answer: HTTP 200 with 60009 below /v4, 400 with 60009 below /callback.
func requireRouted(t *testing.T, path string, status int, header http.Header, body string) {
	t.Helper()
	require.Empty(t, header.Get("Location"), "no redirect for %s", path)
	var env struct {
		ActionStatus string
		ErrorCode    int
		ErrorInfo    string
	}
	require.NoError(t, json.Unmarshal([]byte(body), &env), "%s: answer %q", path, body)
	require.Equal(t, "FAIL", env.ActionStatus, "%s: %s", path, body)
	require.Equal(t, 60009, env.ErrorCode, "%s: %s", path, body)
	require.NotEmpty(t, env.ErrorInfo)
	if strings.Contains(path, "callback") {
		require.Equal(t, http.StatusBadRequest, status, "%s: %s", path, body)
	} else {
		require.Equal(t, http.StatusOK, status, "%s: %s", path, body)
	}
}

// rawPost sends a request whose target is exactly target and reads the answer.
func rawPost(t *testing.T, base, target string) (int, http.Header, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST "+target+" HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func TestRoutingHTTPMode(t *testing.T) {
	restBase := serveHTTP(t, restFunction(t))
	for _, p := range restPaths {
		status, header, body := rawPost(t, restBase, p+"?"+routingQuery)
		requireRouted(t, p, status, header, body)
	}
	status, _, body := rawPost(t, restBase, "/v4/follow/follow_add?"+routingQuery)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, `"ErrorCode":70003`, "the canonical path reaches the UserSig check")

	rcvBase := serveHTTP(t, receiverFunction(t))
	for _, p := range callbackPaths {
		status, header, body := rawPost(t, rcvBase, p+"?SdkAppid=1400000000")
		requireRouted(t, p, status, header, body)
	}
}

func TestRoutingLambdaV1(t *testing.T) {
	for _, tc := range []struct {
		fn    host.Function
		paths []string
	}{{restFunction(t), append(restPaths, invalidEscape)}, {receiverFunction(t), callbackPaths}} {
		for _, p := range tc.paths {
			event := `{"httpMethod":"POST","path":` + strconv.Quote(p) + `,
				"multiValueQueryStringParameters":{"sdkappid":["1400000000"],"SdkAppid":["1400000000"],"identifier":["administrator"],"usersig":["x"]},
				"requestContext":{"identity":{"sourceIp":"203.0.113.9"}},"body":"{}"}`
			out, err := host.InvokeLambda(t.Context(), tc.fn, []byte(event))
			require.NoError(t, err, p)
			var resp events.APIGatewayProxyResponse
			require.NoError(t, json.Unmarshal(out, &resp))
			requireRouted(t, p, resp.StatusCode, resp.MultiValueHeaders, resp.Body)
		}
	}
}

func TestRoutingLambdaV2(t *testing.T) {
	for _, tc := range []struct {
		fn    host.Function
		paths []string
	}{{restFunction(t), append(restPaths, invalidEscape)}, {receiverFunction(t), callbackPaths}} {
		for _, p := range tc.paths {
			event := `{"version":"2.0","rawPath":` + strconv.Quote(p) + `,"rawQueryString":"` + routingQuery + `&SdkAppid=1400000000",
				"requestContext":{"stage":"$default","http":{"method":"POST","path":"/cleaned/by/the/gateway","sourceIp":"192.0.2.1"}},"body":"{}"}`
			out, err := host.InvokeLambda(t.Context(), tc.fn, []byte(event))
			require.NoError(t, err, p)
			var resp events.APIGatewayV2HTTPResponse
			require.NoError(t, json.Unmarshal(out, &resp))
			header := http.Header{}
			for k, v := range resp.Headers {
				header.Set(k, v)
			}
			requireRouted(t, p, resp.StatusCode, header, resp.Body)
		}
	}
}

func TestRoutingSCF(t *testing.T) {
	for _, tc := range []struct {
		fn    host.Function
		paths []string
	}{{restFunction(t), append(restPaths, invalidEscape)}, {receiverFunction(t), callbackPaths}} {
		for _, p := range tc.paths {
			event := `{"requestContext":{"sourceIp":"10.0.2.14","path":` + strconv.Quote(p) + `,"httpMethod":"POST"},"headers":{},"body":"{}",
				"path":` + strconv.Quote(p) + `,"queryString":{"sdkappid":"1400000000","SdkAppid":"1400000000","identifier":"administrator","usersig":"x"},"httpMethod":"POST"}`
			out, err := host.InvokeSCF(t.Context(), tc.fn, []byte(event))
			require.NoError(t, err, p)
			var resp scfevents.APIGatewayResponse
			require.NoError(t, json.Unmarshal(out, &resp))
			header := http.Header{}
			for k, v := range resp.Headers {
				header.Set(k, v)
			}
			requireRouted(t, p, resp.StatusCode, header, resp.Body)
		}
	}
}
