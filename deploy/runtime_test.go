package deploy

// Runtime-contract tests: the REAL function binaries, built as dist builds them, run under a fake
// AWS Lambda Runtime API (API Gateway payloads 1.0 and 2.0), under scf-go-lib's net/rpc protocol
// with an SCF API Gateway event, and as an HTTP Web Function on a free port; each must answer
// the same body as the local server for the same request.

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/rpc"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	json "github.com/go-json-experiment/json"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
	scfevents "github.com/tencentyun/scf-go-lib/events"
	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/deploy/internal/echo"
	"github.com/chatfollow/chatfollow/localserver/servertest"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/profile"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/store/storetest"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// binDir holds the binaries the tests build, once per run of the test binary.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chatfollow-functions-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type buildKey struct {
	main   string
	target Target
}

var (
	buildMu sync.Mutex
	builds  = map[buildKey]func() (string, error){}
)

// hostTarget is the build the tests run: dist's flags for this machine's architecture, with
// SQLite kept so the tests run without a PostgreSQL server.
var hostTarget = Target{Arch: runtime.GOARCH, SQLite: true}

// binary builds fn for target once per test run and returns its path.
func binary(t testing.TB, fn Function, target Target) string {
	t.Helper()
	key := buildKey{fn.Main, target}
	buildMu.Lock()
	build, ok := builds[key]
	if !ok {
		out := filepath.Join(binDir, fmt.Sprintf("%s-%s-%t", strings.ReplaceAll(fn.Main, "/", "_"), target.Arch, target.SQLite), "bootstrap")
		build = sync.OnceValues(func() (string, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			return out, BuildBinary(ctx, root, fn, target, out)
		})
		builds[key] = build
	}
	buildMu.Unlock()
	path, err := build()
	require.NoError(t, err)
	return path
}

// call is one HTTP request, as a client sends it.
type call struct {
	path, rawQuery, contentType, body string
}

// clientIP is the caller's address in every event; the local server sees loopback too.
const clientIP = "127.0.0.1"

// functionEnv is the environment of a function binary: the local server's test configuration
// (servertest.Config) for a deployed function on databaseURL.
func functionEnv(databaseURL string) []string {
	return []string{
		"CHAT_DATABASE_URL=" + databaseURL,
		"CHAT_SDKAPPID=" + strconv.Itoa(config.DevSDKAppID),
		"CHAT_SECRET_KEY=" + config.DevSecretKey,
		"CHAT_ADMINS=" + servertest.Admin,
		"CHAT_CALLBACK_TOKEN=" + config.DevCallbackToken,
		"CHAT_RATE_LIMIT=0",
	}
}

// process runs argv with exactly env until the test ends; its output is shown if the test fails.
func process(t *testing.T, argv []string, env ...string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", filepath.Base(filepath.Dir(argv[len(argv)-1])), out.String())
		}
	})
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// fakeRuntime is the AWS Lambda Runtime API as a function sees it: it hands out queued events on
// GET /2018-06-01/runtime/invocation/next and takes the answers.
type fakeRuntime struct {
	firstNext time.Time // when the function first asked for an event: its process is ready
	srv       *httptest.Server
	events    chan invocation
	mu        sync.Mutex
	answers   map[string]chan answer
}

type invocation struct {
	id      string
	payload []byte
}

type answer struct {
	body   []byte
	failed bool // posted to /error
	at     time.Time
}

func newFakeRuntime(t testing.TB) *fakeRuntime {
	f := &fakeRuntime{events: make(chan invocation, 16), answers: make(map[string]chan answer)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if f.firstNext.IsZero() {
			f.firstNext = time.Now()
		}
		f.mu.Unlock()
		select {
		case inv := <-f.events:
			h := w.Header()
			h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
			h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
			h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:test")
			h.Set("Lambda-Runtime-Trace-Id", "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c")
			w.Write(inv.payload)
		case <-r.Context().Done():
		}
	})
	deliver := func(failed bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			f.mu.Lock()
			ch := f.answers[r.PathValue("id")]
			f.mu.Unlock()
			if ch == nil {
				http.Error(w, "unknown request id", http.StatusBadRequest)
				return
			}
			ch <- answer{body: body, failed: failed, at: time.Now()}
			w.WriteHeader(http.StatusAccepted)
		}
	}
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", deliver(false))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", deliver(true))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		t.Errorf("init error: %s", body)
		w.WriteHeader(http.StatusAccepted)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		f.srv.CloseClientConnections()
		f.srv.Close()
	})
	return f
}

// addr is the value of AWS_LAMBDA_RUNTIME_API: host and port, no scheme.
func (f *fakeRuntime) addr() string { return f.srv.Listener.Addr().String() }

// invoke queues payload and waits for its answer.
func (f *fakeRuntime) invoke(t testing.TB, payload []byte) answer {
	t.Helper()
	var b [8]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	ch := make(chan answer, 1)
	f.mu.Lock()
	f.answers[id] = ch
	f.mu.Unlock()
	f.events <- invocation{id, payload}
	select {
	case a := <-ch:
		return a
	case <-time.After(time.Minute):
		t.Fatalf("no answer to invocation %s", id)
		return answer{}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// eventV1 is c as an API Gateway REST API (payload 1.0) event, body base64-encoded.
func eventV1(t testing.TB, c call) []byte {
	q, err := url.ParseQuery(c.rawQuery)
	require.NoError(t, err)
	single := make(map[string]string)
	for k, vs := range q {
		single[k] = vs[len(vs)-1]
	}
	ev := events.APIGatewayProxyRequest{
		Resource: c.path, Path: c.path, HTTPMethod: http.MethodPost,
		Headers:                         map[string]string{"Content-Type": c.contentType, "Host": "abc.execute-api.us-east-1.amazonaws.com"},
		MultiValueHeaders:               map[string][]string{"Content-Type": {c.contentType}, "Host": {"abc.execute-api.us-east-1.amazonaws.com"}},
		QueryStringParameters:           single,
		MultiValueQueryStringParameters: q,
		RequestContext: events.APIGatewayProxyRequestContext{
			Stage: "prod", Path: "/prod" + c.path, HTTPMethod: http.MethodPost,
			Identity: events.APIGatewayRequestIdentity{SourceIP: clientIP},
		},
		Body:            base64.StdEncoding.EncodeToString([]byte(c.body)),
		IsBase64Encoded: true,
	}
	return mustJSON(t, ev)
}

// eventV2 is c as an API Gateway HTTP API (payload 2.0) event, raw query string as sent.
func eventV2(t testing.TB, c call) []byte {
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "POST " + c.path, RawPath: c.path, RawQueryString: c.rawQuery,
		Headers: map[string]string{"content-type": c.contentType, "host": "abc.execute-api.us-east-1.amazonaws.com"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "POST " + c.path, Stage: "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: http.MethodPost, Path: c.path, Protocol: "HTTP/1.1", SourceIP: clientIP},
		},
		Body: c.body,
	}
	return mustJSON(t, ev)
}

// eventSCF is c as the event of SCF's API Gateway trigger: decoded query (repeated keys as
// arrays), body base64-encoded.
func eventSCF(t testing.TB, c call) []byte {
	q, err := url.ParseQuery(c.rawQuery)
	require.NoError(t, err)
	query := make(map[string]any, len(q))
	for k, vs := range q {
		if len(vs) == 1 {
			query[k] = vs[0]
		} else {
			query[k] = vs
		}
	}
	return mustJSON(t, map[string]any{
		"requestContext": map[string]any{
			"serviceId": "service-f94sy04v", "path": c.path, "httpMethod": "POST", "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			"identity": map[string]any{}, "sourceIp": clientIP, "stage": "release",
		},
		"headers":         map[string]string{"content-type": c.contentType, "host": "service-3ei3tii4-251000691.gz.apigw.tencentcs.com"},
		"body":            base64.StdEncoding.EncodeToString([]byte(c.body)),
		"isBase64Encoded": true,
		"path":            c.path,
		"queryString":     query,
		"httpMethod":      "POST",
	})
}

// gatewayBody is the body of an API Gateway answer, requiring status 200.
func gatewayBody(t testing.TB, status int, body string, b64 bool) string {
	t.Helper()
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	if b64 {
		b, err := base64.StdEncoding.DecodeString(body)
		require.NoError(t, err)
		return string(b)
	}
	return body
}

// mode runs a function binary (argv: the binary, or an emulator and the binary) with env and
// answers c through one platform adapter.
type mode struct {
	name string
	run  func(t *testing.T, argv []string, env []string, c call) string
}

var modes = []mode{
	{"lambda-v1", func(t *testing.T, argv []string, env []string, c call) string {
		rt := newFakeRuntime(t)
		process(t, argv, append(env, "AWS_LAMBDA_RUNTIME_API="+rt.addr())...)
		a := rt.invoke(t, eventV1(t, c))
		require.False(t, a.failed, "error: %s", a.body)
		var resp events.APIGatewayProxyResponse
		require.NoError(t, json.Unmarshal(a.body, &resp))
		return gatewayBody(t, resp.StatusCode, resp.Body, resp.IsBase64Encoded)
	}},
	{"lambda-v2", func(t *testing.T, argv []string, env []string, c call) string {
		rt := newFakeRuntime(t)
		process(t, argv, append(env, "AWS_LAMBDA_RUNTIME_API="+rt.addr())...)
		a := rt.invoke(t, eventV2(t, c))
		require.False(t, a.failed, "error: %s", a.body)
		var resp events.APIGatewayV2HTTPResponse
		require.NoError(t, json.Unmarshal(a.body, &resp))
		return gatewayBody(t, resp.StatusCode, resp.Body, resp.IsBase64Encoded)
	}},
	{"scf-event", func(t *testing.T, argv []string, env []string, c call) string {
		resp := invokeSCF(t, argv, env, eventSCF(t, c))
		var out scfevents.APIGatewayResponse
		require.NoError(t, json.Unmarshal(resp, &out))
		return gatewayBody(t, out.StatusCode, out.Body, out.IsBase64Encoded)
	}},
	{"scf-web", func(t *testing.T, argv []string, env []string, c call) string {
		port := freePort(t)
		process(t, argv, append(env, "PORT="+port)...)
		waitListening(t, "127.0.0.1:"+port)
		resp, err := http.Post("http://127.0.0.1:"+port+c.path+"?"+c.rawQuery, c.contentType, bytes.NewReader([]byte(c.body)))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return gatewayBody(t, resp.StatusCode, string(b), false)
	}},
}

func modeNamed(name string) mode {
	for _, m := range modes {
		if m.name == name {
			return m
		}
	}
	panic("no mode " + name)
}

func waitListening(t testing.TB, addr string) {
	t.Helper()
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 30*time.Second, 2*time.Millisecond, "nothing listens on %s", addr)
}

// invokeSCF starts argv as an SCF event function and invokes it once over scf-go-lib's net/rpc
// protocol (Function.Ping, then Function.Invoke), returning the answer's payload.
func invokeSCF(t *testing.T, argv []string, env []string, payload []byte) []byte {
	t.Helper()
	port := freePort(t)
	process(t, argv, append(env, "_LAMBDA_SERVER_PORT="+port)...)
	waitListening(t, "127.0.0.1:"+port)
	client, err := rpc.Dial("tcp", "127.0.0.1:"+port)
	require.NoError(t, err)
	defer client.Close()
	require.NoError(t, client.Call("Function.Ping", &messages.PingRequest{}, &messages.PingResponse{}))
	deadline := time.Now().Add(time.Minute)
	req := &messages.InvokeRequest{
		Payload: payload, RequestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
		Deadline:     messages.InvokeRequest_Timestamp{Seconds: deadline.Unix(), Nanos: int64(deadline.Nanosecond())},
		FunctionName: "test", Namespace: "default", MemoryLimitInMb: 256, TimeLimitInMs: 15000,
	}
	var resp messages.InvokeResponse
	require.NoError(t, client.Call("Function.Invoke", req, &resp))
	require.Nil(t, resp.Error, "invocation error")
	return resp.Payload
}

// seedAccounts imports accounts into the database at url, as account_import would.
func seedAccounts(t *testing.T, databaseURL string, ids ...string) {
	t.Helper()
	ctx := t.Context()
	st, err := sqlstore.Open(ctx, databaseURL)
	require.NoError(t, err)
	defer st.Close()
	now := time.Now()
	require.NoError(t, st.Update(ctx, func(tx store.Tx) error {
		for _, id := range ids {
			if err := tx.PutAccount(ctx, profile.Apply(id, store.Account{}, false, profile.Fields{}, now)); err != nil {
				return err
			}
		}
		return nil
	}))
}

// contract is a function and a request whose answer every mode must give as the local server
// does.
type contract struct {
	name      string
	fn        Function
	seed      func(t *testing.T, databaseURL string) // nil: nothing
	request   func(t *testing.T) call
	reference func(t *testing.T, databaseURL string, c call) string // the local server's answer
}

// localServer answers c on the local server over databaseURL.
func localServer(t *testing.T, databaseURL string, c call) string {
	s := servertest.Start(t, databaseURL)
	return s.Post(t, c.path+"?"+c.rawQuery, c.body)
}

func restQuery(t *testing.T) string {
	sig, err := tencentyun.GenUserSig(config.DevSDKAppID, config.DevSecretKey, servertest.Admin, 86400)
	require.NoError(t, err)
	return "sdkappid=" + strconv.Itoa(config.DevSDKAppID) + "&identifier=" + servertest.Admin + "&usersig=" + sig + "&random=99999999&contenttype=json"
}

// webhookCall is a signed webhook of command with body to path, as the dispatcher sends it.
func webhookCall(t *testing.T, path, command string, body any) call {
	b := mustJSON(t, body)
	r, err := webhook.NewRequest(t.Context(), webhook.Target{URL: "http://function" + path, SDKAppID: config.DevSDKAppID, Token: config.DevCallbackToken},
		webhook.Call{Command: command, Body: b, ClientIP: "203.0.113.5", Platform: protocol.PlatformREST}, time.Now())
	require.NoError(t, err)
	return call{path: path, rawQuery: r.URL.RawQuery, contentType: "application/json", body: string(b)}
}

func contracts(t *testing.T) []contract {
	fns := discovered(t)
	byName := make(map[string]Function)
	for _, fn := range fns {
		byName[fn.Name] = fn
	}
	out := []contract{{
		name: "rest follow-add",
		fn:   byName["follow-add"],
		seed: func(t *testing.T, u string) { seedAccounts(t, u, servertest.Admin, "a", "b", "c") },
		request: func(t *testing.T) call {
			return call{"/v4/follow/follow_add", restQuery(t), "application/json",
				`{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"c"},{"To_Account":"zz"},{"To_Account":"a"}]}`}
		},
		reference: localServer,
	}, {
		name: "receiver echo",
		fn:   Function{Name: "echo", Main: "deploy/testdata/echo", Kind: Receiver, Path: "/callback/" + protocol.CallbackAfterFollowAdd},
		request: func(t *testing.T) call {
			return webhookCall(t, "/callback/"+protocol.CallbackAfterFollowAdd, protocol.CallbackAfterFollowAdd,
				protocol.NewAfterFollowAdd("a", []string{"b", "c"}, time.Unix(1700000000, 0)))
		},
		reference: func(t *testing.T, _ string, c call) string {
			srv := httptest.NewServer(echo.Handler())
			defer srv.Close()
			resp, err := http.Post(srv.URL+c.path+"?"+c.rawQuery, c.contentType, bytes.NewReader([]byte(c.body)))
			require.NoError(t, err)
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			return string(b)
		},
	}}
	// A real receiver of Follow.CallbackAfterFollowAdd, once one is in functions/.
	for _, name := range []string{"on-after-follow-add", "callback"} {
		if fn, ok := byName[name]; ok {
			out = append(out, contract{
				name: "receiver " + name,
				fn:   fn,
				request: func(t *testing.T) call {
					return webhookCall(t, fn.Path, protocol.CallbackAfterFollowAdd, protocol.NewAfterFollowAdd("a", []string{"b"}, time.Now()))
				},
				reference: localServer,
			})
		}
	}
	return out
}

func TestRuntimeContract(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			for _, ct := range contracts(t) {
				t.Run(ct.name, func(t *testing.T) {
					bin := binary(t, ct.fn, hostTarget)
					c := ct.request(t)
					refURL := b.URL(t)
					if ct.seed != nil {
						ct.seed(t, refURL)
					}
					want := ct.reference(t, refURL, c)
					require.NotEmpty(t, want)
					for _, m := range modes {
						t.Run(m.name, func(t *testing.T) {
							u := b.URL(t)
							if ct.seed != nil {
								ct.seed(t, u)
							}
							require.Equal(t, want, m.run(t, []string{bin}, functionEnv(u), c))
						})
					}
				})
			}
		})
	}
}

// TestRuntimeContractREST spot-checks the REST answer itself, so the comparison above cannot
// pass on two equally wrong answers.
func TestRuntimeContractREST(t *testing.T) {
	fn := Function{Name: "follow-add", Main: "functions/follow-add/main"}
	u := storetest.SQLite(t)
	seedAccounts(t, u, "a", "b")
	c := call{"/v4/follow/follow_add", restQuery(t), "application/json", `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`}
	got := modeNamed("lambda-v2").run(t, []string{binary(t, fn, hostTarget)}, functionEnv(u), c)
	require.Contains(t, got, `"ActionStatus":"OK"`)
	require.Contains(t, got, `"To_Account":"b"`)
}

// TestScheduledBinary runs a ServeSchedule binary under the fake Runtime API and the SCF
// protocol: a scheduled event is a tick (answer null), an API Gateway event reaches POST /tick.
func TestScheduledBinary(t *testing.T) {
	argv := []string{binary(t, Function{Name: "ticker", Main: "deploy/testdata/ticker"}, hostTarget)}
	env := functionEnv(storetest.SQLite(t))

	rt := newFakeRuntime(t)
	process(t, argv, append(env, "AWS_LAMBDA_RUNTIME_API="+rt.addr())...)
	a := rt.invoke(t, []byte(`{"version":"0","id":"53dc4d37","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012",
		"time":"2019-10-08T16:53:06Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/r"],"detail":{}}`))
	require.False(t, a.failed, "error: %s", a.body)
	require.Equal(t, "null", string(a.body))
	a = rt.invoke(t, eventV2(t, call{path: "/tick", contentType: "application/json"}))
	require.False(t, a.failed, "error: %s", a.body)
	var resp events.APIGatewayV2HTTPResponse
	require.NoError(t, json.Unmarshal(a.body, &resp))
	require.Equal(t, `{"status":"ok"}`, gatewayBody(t, resp.StatusCode, resp.Body, resp.IsBase64Encoded))

	payload := invokeSCF(t, argv, env, []byte(`{"Message":"","Time":"2019-02-21T11:49:00Z","TriggerName":"chatfollow-every-minute","Type":"Timer"}`))
	require.Equal(t, "null", string(payload))
}

func TestDistCleansOnlyItsOwnFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dist")
	require.NoError(t, clean(dir))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stale.zip"), nil, 0o644))
	require.NoError(t, clean(dir), "a folder dist made is emptied")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, distMarker, entries[0].Name())
}

func TestDistRefusesAForeignFolder(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	err := Dist(t.Context(), root, dir, nil, Target{Arch: "arm64"}, Target{Arch: "amd64"}, nil)
	require.ErrorContains(t, err, "was not made by dist")
	b, err := os.ReadFile(filepath.Join(dir, "notes.txt"))
	require.NoError(t, err)
	require.Equal(t, "mine", string(b))
}

// TestDistIsReproducible runs the dist command (what make dist runs) for one function twice,
// into different folders, and compares every byte of the outputs. It runs the command rather
// than Dist so the zipping is not slowed by the race detector.
func TestDistIsReproducible(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "dist"), filepath.Join(t.TempDir(), "elsewhere", "dist")
	for _, dir := range []string{a, b} {
		cmd := exec.Command("go", "run", "./deploy/artifacts", "-o", dir, "follow-add")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	var files []string
	require.NoError(t, filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(a, path)
			files = append(files, rel)
		}
		return err
	}))
	require.ElementsMatch(t, []string{
		distMarker, "follow-add/bootstrap", "follow-add.zip",
		"tencent/follow-add/bootstrap", "tencent/follow-add/scf_bootstrap", "tencent/follow-add.zip", "tencent/chatfollow.zip",
	}, files)
	for _, f := range files {
		x, err := os.ReadFile(filepath.Join(a, f))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, f))
		require.NoError(t, err)
		require.True(t, bytes.Equal(x, y), "%s differs between two builds", f)
	}
	// The packages hold what the platforms run.
	for zipPath, want := range map[string][]string{
		"follow-add.zip":         {"bootstrap"},
		"tencent/follow-add.zip": {"bootstrap", "scf_bootstrap"},
		"tencent/chatfollow.zip": {"follow-add"},
	} {
		zr, err := zip.OpenReader(filepath.Join(a, zipPath))
		require.NoError(t, err)
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
			require.Equal(t, os.FileMode(0o755), f.Mode().Perm(), "%s in %s is executable", f.Name, zipPath)
		}
		zr.Close()
		require.Equal(t, want, names, zipPath)
	}
}

// QEMUEnv names the variable holding the path of qemu-aarch64-static, which runs the arm64
// build on this machine; scripts/qemu-aarch64 unpacks it from Debian's qemu-user-static.
const QEMUEnv = "CHAT_TEST_QEMU_AARCH64"

func qemu(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(QEMUEnv); p != "" {
		return p
	}
	for _, name := range []string{"qemu-aarch64-static", "qemu-aarch64"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no qemu-aarch64-static: set " + QEMUEnv + "=$(scripts/qemu-aarch64) to run the arm64 build")
	return ""
}

// TestArm64Binary runs the arm64 build, the one AWS Lambda runs, under qemu in every mode.
func TestArm64Binary(t *testing.T) {
	emulator := qemu(t)
	fn := Function{Name: "follow-add", Main: "functions/follow-add/main"}
	bin := binary(t, fn, Target{Arch: "arm64", SQLite: true})
	c := call{"/v4/follow/follow_add", restQuery(t), "application/json", `{"From_Account":"a","FollowItem":[{"To_Account":"b"},{"To_Account":"zz"}]}`}
	ref := storetest.SQLite(t)
	seedAccounts(t, ref, "a", "b")
	want := localServer(t, ref, c)
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			u := storetest.SQLite(t)
			seedAccounts(t, u, "a", "b")
			require.Equal(t, want, m.run(t, []string{emulator, bin}, functionEnv(u), c))
		})
	}
}

// BenchmarkColdStart measures a function instance's cold start under the fake Runtime API:
// from starting the process to the answer of its first invocation (a follow_add over API
// Gateway payload 2.0), opening the store included. SQLite uses the tests' build (SQLite kept);
// PostgreSQL (when CHAT_TEST_POSTGRES_URL is set) the dist build, which has no SQLite.
//
//	go test -run '^$' -bench ColdStart -benchtime 20x ./deploy/
func BenchmarkColdStart(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			target := hostTarget
			if be.Name == "postgres" {
				target = Target{Arch: runtime.GOARCH}
			}
			bin := binary(b, Function{Name: "follow-add", Main: "functions/follow-add/main"}, target)
			u := benchDatabase(b, be)
			sig, err := tencentyun.GenUserSig(config.DevSDKAppID, config.DevSecretKey, servertest.Admin, 86400)
			require.NoError(b, err)
			query := "sdkappid=" + strconv.Itoa(config.DevSDKAppID) + "&identifier=" + servertest.Admin + "&usersig=" + sig + "&random=1&contenttype=json"
			payload := eventV2(b, call{"/v4/follow/follow_add", query, "application/json", `{"From_Account":"a","FollowItem":[{"To_Account":"b"}]}`})
			var total, ready time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				// A runtime per instance, as Lambda gives: a killed instance's pending
				// /next must not take the next instance's event.
				rt := newFakeRuntime(b)
				cmd := exec.Command(bin)
				cmd.Env = append(functionEnv(u), "AWS_LAMBDA_RUNTIME_API="+rt.addr())
				b.StartTimer()
				start := time.Now()
				require.NoError(b, cmd.Start())
				a := rt.invoke(b, payload)
				total += a.at.Sub(start)
				rt.mu.Lock()
				ready += rt.firstNext.Sub(start)
				rt.mu.Unlock()
				b.StopTimer()
				require.False(b, a.failed, "error: %s", a.body)
				require.Contains(b, string(a.body), `\"ActionStatus\":\"OK\"`)
				cmd.Process.Kill()
				cmd.Wait()
				rt.srv.CloseClientConnections()
				rt.srv.Close()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/first-answer")
			b.ReportMetric(float64(ready.Microseconds())/1000/float64(b.N), "ms/ready")
		})
	}
}

// benchDatabase is a migrated database holding the accounts a and b: an SQLite file, or a
// PostgreSQL schema of its own dropped when the benchmark ends.
func benchDatabase(b *testing.B, be storetest.Backend) string {
	ctx := context.Background()
	u := "sqlite:" + filepath.Join(b.TempDir(), "chat.db")
	if be.Name == "postgres" {
		base := os.Getenv(storetest.PostgresEnv)
		conn, err := pgx.Connect(ctx, base)
		require.NoError(b, err)
		defer conn.Close(ctx)
		var r [6]byte
		rand.Read(r[:])
		schema := "bench_" + hex.EncodeToString(r[:])
		_, err = conn.Exec(ctx, "CREATE SCHEMA "+schema)
		require.NoError(b, err)
		b.Cleanup(func() {
			conn, err := pgx.Connect(ctx, base)
			require.NoError(b, err)
			defer conn.Close(ctx)
			_, err = conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			require.NoError(b, err)
		})
		pu, err := url.Parse(base)
		require.NoError(b, err)
		q := pu.Query()
		q.Set("search_path", schema)
		pu.RawQuery = q.Encode()
		u = pu.String()
	}
	st, err := sqlstore.Open(ctx, u)
	require.NoError(b, err)
	defer st.Close()
	now := time.Now()
	require.NoError(b, st.Update(ctx, func(tx store.Tx) error {
		for _, id := range []string{"a", "b"} {
			if err := tx.PutAccount(ctx, profile.Apply(id, store.Account{}, false, profile.Fields{}, now)); err != nil {
				return err
			}
		}
		return nil
	}))
	return u
}
