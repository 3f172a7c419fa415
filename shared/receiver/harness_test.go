package receiver_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	json "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// The documented Sign vector of wire.md section 5.
const (
	vectorToken = "xxxxyyyy"
	vectorTime  = 1669872112
	vectorSign  = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
	appID       = 1400000000
)

// okEnvelope is the one acceptance answer of wire.md section 5.
const okEnvelope = `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`

// clock is a settable time source.
type clock struct{ unix atomic.Int64 }

func (c *clock) Now() time.Time  { return time.Unix(c.unix.Load(), 0) }
func (c *clock) Set(unix int64)  { c.unix.Store(unix) }
func (c *clock) Advance(s int64) { c.unix.Add(s) }

// harness is a Receiver mounted as the local server mounts it, on a loopback port, over a
// real store, with its clock at the Sign vector's RequestTime.
type harness struct {
	URL   string
	Rcv   *receiver.Receiver
	Store store.Store
	Clock *clock
	Cfg   config.Receiver
}

// option changes the receiver's configuration or handlers before it starts.
type option func(*config.Receiver, *receiver.Handlers)

func withTokens(tokens ...string) option {
	return func(c *config.Receiver, _ *receiver.Handlers) { c.Tokens = tokens }
}

func withHandlers(h receiver.Handlers) option {
	return func(_ *config.Receiver, hs *receiver.Handlers) { *hs = h }
}

func start(t testing.TB, databaseURL string, opts ...option) *harness {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), databaseURL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return startOn(t, st, opts...)
}

func startOn(t testing.TB, st store.Store, opts ...option) *harness {
	t.Helper()
	cfg := config.Receiver{SDKAppID: appID, Tokens: []string{vectorToken}, MaxSkew: time.Minute}
	var h receiver.Handlers
	for _, o := range opts {
		o(&cfg, &h)
	}
	c := &clock{}
	c.Set(vectorTime)
	rcv, err := receiver.New(cfg, st, c.Now, nil, h)
	require.NoError(t, err)
	mux := http.NewServeMux()
	rcv.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &harness{URL: srv.URL, Rcv: rcv, Store: st, Clock: c, Cfg: cfg}
}

// params is a query string under construction; a nil value leaves the parameter out.
type params map[string]string

// query is the query string Tencent sends for cmd, signed with the harness's first token at
// the harness's current time, changed by edits (the value drop removes a parameter).
func (h *harness) query(cmd string, edits params) string {
	p := params{
		"SdkAppid":        strconv.Itoa(appID),
		"CallbackCommand": cmd,
		"contenttype":     "json",
		"ClientIP":        "127.0.0.1",
		"OptPlatform":     protocol.PlatformREST,
	}
	if len(h.Cfg.Tokens) > 0 {
		rt := h.Clock.Now().Unix()
		p["RequestTime"] = strconv.FormatInt(rt, 10)
		p["Sign"] = webhook.Sign(h.Cfg.Tokens[0], rt)
	}
	for k, v := range edits {
		p[k] = v
	}
	q := url.Values{}
	for k, v := range p {
		if v != "\x00" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

// drop removes a parameter in query edits.
const drop = "\x00"

// reply is an answer of the receiver.
type reply struct {
	Status int
	Body   string
	Env    struct {
		ActionStatus   string
		ErrorCode      int
		ErrorInfo      string
		RefusedMembers []string `json:"RefusedMembers_Account"`
	}
}

// post sends body to path?query over HTTP.
func (h *harness) post(t testing.TB, path, query, body string, header http.Header) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.URL+path+"?"+query, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	return do(t, req)
}

func do(t testing.TB, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := reply{Status: resp.StatusCode, Body: string(b)}
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	require.NoError(t, json.Unmarshal(b, &r.Env), "answer %s", b)
	return r
}

// deliver posts a correctly signed delivery of body to /callback and requires 200 OK.
func (h *harness) deliver(t testing.TB, body string) reply {
	t.Helper()
	r := h.post(t, "/callback", h.query(commandOf(t, body), nil), body, nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	return r
}

// commandOf reads the CallbackCommand of a body.
func commandOf(t testing.TB, body string) string {
	var b struct{ CallbackCommand string }
	require.NoError(t, json.Unmarshal([]byte(body), &b))
	return b.CallbackCommand
}

// events is the receivers' whole event log.
func (h *harness) events(t testing.TB) []store.ReceivedEvent {
	t.Helper()
	var out []store.ReceivedEvent
	require.NoError(t, h.Store.View(context.Background(), func(tx store.Tx) (err error) {
		out, err = tx.ReceivedEvents(context.Background(), store.EventQuery{})
		return err
	}))
	return out
}

// mirror is the whole mirror, tombstones included.
type mirror struct {
	Follows       []store.MirrorFollow
	Subscriptions []store.MirrorSubscription
	Officials     []store.MirrorOfficialAccount
}

func (h *harness) mirror(t testing.TB) mirror {
	t.Helper()
	var m mirror
	ctx := context.Background()
	require.NoError(t, h.Store.View(ctx, func(tx store.Tx) (err error) {
		if m.Follows, err = tx.MirrorFollows(ctx, ""); err != nil {
			return err
		}
		if m.Subscriptions, err = tx.MirrorSubscriptions(ctx, ""); err != nil {
			return err
		}
		m.Officials, err = tx.MirrorOfficialAccounts(ctx)
		return err
	}))
	return m
}

// present lists the edges present, as "from>to".
func (m mirror) present() []string {
	out := []string{}
	for _, f := range m.Follows {
		if f.Present {
			out = append(out, f.From+">"+f.To)
		}
	}
	return out
}

// subscribed lists the subscriptions present, as "official<subscriber".
func (m mirror) subscribed() []string {
	out := []string{}
	for _, s := range m.Subscriptions {
		if s.Present {
			out = append(out, s.Official+"<"+s.Subscriber)
		}
	}
	return out
}

// sample reads a body of testdata/samples.
func sample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	require.NoError(t, err)
	return string(b)
}
