package rest

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	json "github.com/go-json-experiment/json"
	"golang.org/x/time/rate"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rawpath"
	"github.com/chatfollow/chatfollow/shared/usersig"
)

// callTimeout bounds one operation; past it the caller gets the service's timeout code.
const callTimeout = 10 * time.Second

// Gateway serves POST /v4/<service>/<command> for a set of operations.
type Gateway struct {
	appID  uint64
	admins map[string]bool
	sigs   *usersig.Verifier
	routes map[string]*route
	deps   Deps
	now    func() time.Time
	log    *slog.Logger
	// observe, when set, is told of every answered call (shared/metrics).
	observe func(ctx context.Context, command string, code int, took time.Duration)
}

// Observe makes g report every answered call to f: the command ("unknown" for a path that is
// no operation of g), the envelope's ErrorCode and the time taken. Call it before serving.
func (g *Gateway) Observe(f func(ctx context.Context, command string, code int, took time.Duration)) {
	g.observe = f
}

type route struct {
	op    Operation
	limit *rate.Limiter // nil when rate limits are off
}

// NewGateway builds the gateway for ops, run with deps, with the app's identity and limits from
// deps.Config.
func NewGateway(deps Deps, log *slog.Logger, ops ...Operation) (*Gateway, error) {
	cfg := deps.Config
	if cfg.SecretKey == "" {
		return nil, fmt.Errorf("CHAT_SECRET_KEY is required to verify UserSigs")
	}
	g := &Gateway{
		appID:  cfg.SDKAppID,
		admins: make(map[string]bool, len(cfg.Admins)),
		sigs:   usersig.NewVerifier(cfg.SDKAppID, cfg.SecretKey),
		routes: make(map[string]*route, len(ops)),
		deps:   deps,
		now:    deps.Now,
		log:    log,
	}
	for _, a := range cfg.Admins {
		g.admins[a] = true
	}
	for _, op := range ops {
		r := &route{op: op}
		if perSecond := op.Rate * cfg.RateLimit; perSecond > 0 {
			// A token bucket whose burst is one second's worth of calls.
			r.limit = rate.NewLimiter(rate.Limit(perSecond), int(math.Max(1, math.Ceil(perSecond))))
		}
		g.routes[op.Path()] = r
	}
	return g, nil
}

// Mount returns a handler that gives g every request whose path, as sent, is /v4 or below it, or
// would be once cleaned or decoded (//v4/x, /./v4/x, /v4%2Fx), and every other request to other.
// Mounted on an http.ServeMux instead, a path that is not in canonical form would be answered
// with a redirect whose Location carries the query string, UserSig included; every REST answer
// must be HTTP 200 with an envelope (here: 60009, unknown API). docs/wire.md section 7.
func (g *Gateway) Mount(other http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rawpath.Under(rawpath.Of(r), rawpath.REST) {
			g.ServeHTTP(w, r)
			return
		}
		other.ServeHTTP(w, r)
	})
}

// ServeHTTP answers every request with HTTP 200 and an envelope, in wire.md's order of checks.
// The path is matched as sent, before any decoding or cleaning: only a canonical
// /v4/<service>/<command> names an operation.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(rawpath.Of(r), "/v4/")
	service := serviceOf(path)
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("operation panicked", "path", r.URL.Path, "panic", p)
			write(w, envelope.AppendFail(nil, service, service.InternalCode(), "internal error, retry"))
		}
	}()
	start := time.Now()
	out, err := g.serve(r, path, service)
	code := 0
	if err != nil {
		c, info := envelope.Of(service, err)
		code = int(c)
		if c == service.InternalCode() || c == service.TimeoutCode() || c == service.RetryCode() {
			g.log.Error("operation failed", "path", r.URL.Path, "err", err)
		}
		out = envelope.AppendFail(out[:0], service, c, info)
	}
	write(w, out)
	if g.observe != nil {
		command := "unknown"
		if rt := g.routes[path]; rt != nil {
			command = rt.op.Command
		}
		g.observe(r.Context(), command, code, time.Since(start))
	}
}

// serviceOf is the service a path below /v4/ names, decoded, so that a follow path with an escape
// in it is still answered with ErrorDisplay; 0 when it names none.
func serviceOf(path string) envelope.Service {
	if decoded, err := url.PathUnescape(path); err == nil {
		path = decoded
	}
	return envelope.ServiceByName(path[:max(0, strings.IndexByte(path, '/'))])
}

func write(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func (g *Gateway) serve(r *http.Request, path string, service envelope.Service) ([]byte, error) {
	if r.Method != http.MethodPost {
		return nil, envelope.Errorf(protocol.CodeBadRequestLine, "method %s is not allowed: use POST", envelope.Echo(r.Method))
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, envelope.Errorf(protocol.CodeBadRequestLine, "query string does not parse")
	}
	for _, name := range []string{"sdkappid", "identifier", "usersig"} {
		if len(q[name]) > 1 { // which one would count is a guess the gateway does not make
			return nil, envelope.Errorf(protocol.CodeBadRequestLine, "%s is given more than once", name)
		}
	}
	appID := q.Get("sdkappid")
	if appID == "" {
		return nil, envelope.Errorf(protocol.CodeMissingSDKAppID, "sdkappid is missing")
	}
	if n, err := strconv.ParseUint(appID, 10, 64); err != nil || n != g.appID {
		return nil, envelope.Errorf(protocol.CodeWrongSDKAppID, "sdkappid %s is not this app", envelope.Echo(appID))
	}
	rt := g.routes[path]
	if rt == nil {
		return nil, envelope.Errorf(protocol.CodeUnknownCommand, "unknown API %s", envelope.Echo(rawpath.Of(r)))
	}
	identifier, sig := q.Get("identifier"), q.Get("usersig")
	if identifier == "" || sig == "" {
		return nil, envelope.Errorf(protocol.CodeMissingIdentity, "identifier and usersig are required")
	}
	if err := g.sigs.Verify(identifier, sig, g.now()); err != nil {
		return nil, err
	}
	if !g.admins[identifier] {
		return nil, envelope.Errorf(protocol.CodeNotAdmin, "identifier %s is not an administrator of this app", envelope.Echo(identifier))
	}
	if rt.limit != nil && !rt.limit.AllowN(g.now(), 1) {
		return nil, envelope.Errorf(protocol.CodeRateLimited, "rate limit of %s exceeded", rt.op.Command)
	}
	body, err := jsonbody.Read(r.Body)
	if err != nil {
		return nil, err
	}
	if err := jsonbody.Check(body); err != nil { // 60003; 60015 follows in the operation's Decode
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	resp, err := rt.op.Serve(ctx, g.deps, &Call{Identifier: identifier, ClientIP: clientIP(r), Body: body, service: service})
	if err != nil {
		return nil, err
	}
	return appendResponse(make([]byte, 0, 512), service, resp)
}

// appendResponse writes the OK envelope followed by the fields of resp.
func appendResponse(dst []byte, service envelope.Service, resp any) ([]byte, error) {
	if resp == nil {
		return envelope.AppendOK(dst, service, false), nil
	}
	fields, err := json.Marshal(resp)
	if err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	if len(fields) <= 2 { // "{}"
		return envelope.AppendOK(dst, service, false), nil
	}
	dst = envelope.AppendOK(dst, service, true)
	return append(dst, fields[1:]...), nil
}

// clientIP is the caller's address without its port.
func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
