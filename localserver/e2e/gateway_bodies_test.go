package e2e_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
)

// TestBodies posts every kind of malformed body to a follow and an account command: each gets
// HTTP 200 and the envelope with the code of the first rule it breaks.
func TestBodies(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	deepOK := strings.Repeat("[", 9000) + strings.Repeat("]", 9000)
	tests := []struct {
		name            string
		body            string
		follow, account string // whole answers of follow_add and account_import
	}{
		{"empty", "",
			fail(true, 60003, "request body is empty: a JSON object is required"),
			fail(false, 60003, "request body is empty: a JSON object is required")},
		{"whitespace", " \r\n\t ",
			fail(true, 60003, "request body is empty: a JSON object is required"),
			fail(false, 60003, "request body is empty: a JSON object is required")},
		{"null", "null",
			fail(true, 60003, "request body must be a JSON object"),
			fail(false, 60003, "request body must be a JSON object")},
		{"array", `[{"From_Account":"a","UserID":"a"}]`,
			fail(true, 60003, "request body must be a JSON object"),
			fail(false, 60003, "request body must be a JSON object")},
		{"string", `"{}"`,
			fail(true, 60003, "request body must be a JSON object"),
			fail(false, 60003, "request body must be a JSON object")},
		{"number", `1`,
			fail(true, 60003, "request body must be a JSON object"),
			fail(false, 60003, "request body must be a JSON object")},
		{"false", `false`,
			fail(true, 60003, "request body must be a JSON object"),
			fail(false, 60003, "request body must be a JSON object")},
		{"not JSON", `From_Account=a`,
			fail(true, 60003, "request body is not valid JSON: invalid character 'F' at start of value"),
			fail(false, 60003, "request body is not valid JSON: invalid character 'F' at start of value")},
		{"two objects", `{}{}`,
			fail(true, 60003, "request body must hold exactly one JSON object"),
			fail(false, 60003, "request body must hold exactly one JSON object")},
		{"truncated", `{"From_Account":"a","UserID":"a"`,
			fail(true, 60003, "request body is not valid JSON: unexpected EOF"),
			fail(false, 60003, "request body is not valid JSON: unexpected EOF")},
		{"invalid UTF-8", "{\"From_Account\":\"a\xff\",\"UserID\":\"a\xff\"}",
			fail(true, 60003, "request body is not valid JSON: invalid UTF-8"),
			fail(false, 60003, "request body is not valid JSON: invalid UTF-8")},
		{"lone surrogate escape", `{"From_Account":"\udc00","UserID":"\udc00"}`,
			fail(true, 60003, "request body is not valid JSON: invalid surrogate pair `\\udc00\",\"Use` in string"),
			fail(false, 60003, "request body is not valid JSON: invalid surrogate pair `\\udc00\",\"Use` in string")},
		{"nested too deep", `{"x":` + deep + `}`,
			fail(true, 60003, "request body is not valid JSON: exceeded max depth"),
			fail(false, 60003, "request body is not valid JSON: exceeded max depth")},
		{"nested deep but within the limit, in an unknown member", `{"x":` + deepOK + `,"From_Account":"administrator","FollowItem":[{"To_Account":"nobody"}],"UserID":"administrator"}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"nobody","ResultCode":30003,"ResultInfo":"To_Account is not imported"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`},
		{"duplicate member", `{"From_Account":"a","From_Account":"b","UserID":"a","UserID":"b"}`,
			fail(true, 60003, "request body is not valid JSON: duplicate object member name"),
			fail(false, 60003, "request body is not valid JSON: duplicate object member name")},
		{"duplicate member of another case is another member", `{"From_Account":"administrator","from_account":1,"FollowItem":[{"To_Account":"nobody"}],"UserID":"administrator","userid":1}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"nobody","ResultCode":30003,"ResultInfo":"To_Account is not imported"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`},
		{"number where an account belongs", `{"From_Account":1,"UserID":1}`,
			fail(true, 60015, "From_Account must be a string"),
			fail(false, 60015, "UserID must be a string")},
		{"number where an account belongs, nested", `{"FollowItem":[{"To_Account":2}],"UserID":2}`,
			fail(true, 60015, "To_Account must be a string"),
			fail(false, 60015, "UserID must be a string")},
		{"array where one account belongs", `{"From_Account":["administrator"],"UserID":["administrator"]}`,
			fail(true, 60015, "From_Account must be a string"),
			fail(false, 60015, "UserID must be a string")},
		{"account-like members the command does not define are ignored", `{"From_Account":"administrator","FollowItem":[{"To_Account":"nobody","Meta":{"UserID":1}}],"UserID":"administrator","Meta":{"Operator_Account":1},"To_Account":[5]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"nobody","ResultCode":30003,"ResultInfo":"To_Account is not imported"}]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`},
		{"number where another string belongs", `{"From_Account":"administrator","FollowItem":"b","UserID":"administrator","Nick":5}`,
			fail(true, 30001, "FollowItem has the wrong type: want an array"),
			fail(false, 70402, "Nick has the wrong type: want a string")},
		{"string where a list belongs", `{"From_Account":"administrator","FollowItem":[{"To_Account":"b"}],"UserID":"administrator","FaceUrl":["x"]}`,
			`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":"","ResultItem":[{"To_Account":"b","ResultCode":30003,"ResultInfo":"To_Account is not imported"}]}`,
			fail(false, 70402, "FaceUrl has the wrong type: want a string")},
		{"object where an item belongs", `{"From_Account":"administrator","FollowItem":[["b"]],"UserID":"administrator","Nick":{}}`,
			fail(true, 30001, "FollowItem/0 has the wrong type: want an object"),
			fail(false, 70402, "Nick has the wrong type: want a string")},
		{"empty object", `{}`,
			fail(true, 30001, "From_Account is required"),
			fail(false, 70402, "UserID is required")},
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := servertest.Start(t, b.URL(t))
			s.Import(t, admin)
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					require.Equal(t, tc.follow, s.Call(t, "follow/follow_add", tc.body))
					require.Equal(t, tc.account, s.Call(t, "im_open_login_svc/account_import", tc.body))
				})
			}
		})
	}
}

// endless is a request body of n spaces that counts how much of it was read.
type endless struct {
	left int64
	read atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), e.left)
	for i := range p[:n] {
		p[i] = ' '
	}
	e.left -= n
	e.read.Add(n)
	return int(n), nil
}

// TestLargeBody: a 10 MB body is refused with 60003 after the server read just past the 1 MiB
// limit, both through the handler (where the bytes read are exact) and over a connection.
func TestLargeBody(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, storetest.SQLite(t))
	for _, c := range []struct{ path string }{{"follow/follow_add"}, {"im_open_login_svc/account_import"}} {
		body := &endless{left: 10 << 20}
		req := httptest.NewRequest(http.MethodPost, "/v4/"+c.path+"?"+s.Query(), body)
		w := httptest.NewRecorder()
		s.Handler.ServeHTTP(w, req)
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, fail(c.path == "follow/follow_add", 60003, "request body is larger than 1048576 bytes"), w.Body.String())
		require.Equal(t, int64(jsonbody.MaxSize+1), body.read.Load(), "the handler stops reading one byte past the limit")
	}

	// Over a connection: the handler's reads are counted on the server side, where they do not
	// depend on how much the kernel buffers.
	var served atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &counted{ReadCloser: r.Body, n: &served}
		s.Handler.ServeHTTP(w, r)
	}))
	defer hs.Close()
	body := &endless{left: 10 << 20}
	req, err := http.NewRequest(http.MethodPost, hs.URL+"/v4/follow/follow_add?"+s.Query(), body)
	require.NoError(t, err)
	req.ContentLength = 10 << 20
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, fail(true, 60003, "request body is larger than 1048576 bytes"), string(got))
	require.Equal(t, int64(jsonbody.MaxSize+1), served.Load(), "the handler read one byte past the limit")
	t.Logf("the client had sent %d of %d bytes when the server answered and closed", body.read.Load(), 10<<20)
}

type counted struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// TestOversizedBodyUnauthenticated: a large body from a caller that fails the UserSig check is
// not read at all.
func TestOversizedBodyUnauthenticated(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, storetest.SQLite(t))
	body := &endless{left: 10 << 20}
	req := httptest.NewRequest(http.MethodPost, "/v4/follow/follow_add?"+servertest.QueryAs(appID, admin, "!!!"), body)
	w := httptest.NewRecorder()
	s.Handler.ServeHTTP(w, req)
	require.Equal(t, fail(true, 70003, "usersig is not valid base64"), w.Body.String())
	require.Zero(t, body.read.Load())
}

// TestPanicRecovered: an operation that panics answers its service's internal error, HTTP 200.
func TestPanicRecovered(t *testing.T) {
	t.Parallel()
	s := servertest.Start(t, storetest.SQLite(t))
	op := rest.Operation{Service: envelope.Follow, Command: "follow_panic", Rate: 200, Serve: func(context.Context, rest.Deps, *rest.Call) (any, error) {
		panic("boom")
	}}
	gw, err := rest.NewGateway(rest.Deps{Config: s.Config, Now: time.Now}, slog.New(slog.NewTextHandler(io.Discard, nil)), op)
	require.NoError(t, err)
	w := httptest.NewRecorder()
	gw.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v4/follow/follow_panic?"+s.Query(), strings.NewReader(`{}`)))
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, fail(true, 30006, "internal error, retry"), w.Body.String())
}
