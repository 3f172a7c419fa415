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

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/protocol"
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
	now    func() time.Time
	log    *slog.Logger
}

type route struct {
	op    Operation
	limit *rate.Limiter // nil when rate limits are off
}

// NewGateway builds the gateway for ops with the app's identity and limits from cfg.
func NewGateway(cfg config.Config, now func() time.Time, log *slog.Logger, ops ...Operation) (*Gateway, error) {
	if cfg.SecretKey == "" {
		return nil, fmt.Errorf("CHAT_SECRET_KEY is required to verify UserSigs")
	}
	g := &Gateway{
		appID:  cfg.SDKAppID,
		admins: make(map[string]bool, len(cfg.Admins)),
		sigs:   usersig.NewVerifier(cfg.SDKAppID, cfg.SecretKey),
		routes: make(map[string]*route, len(ops)),
		now:    now,
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

// Mount returns a handler that gives g every request whose path is /v4 or below it, exactly as
// sent, and every other request to other. Mounted on an http.ServeMux instead, a path that is not
// in canonical form (/v4//follow/x, /v4/follow/../x, /v4) would be answered with a redirect, and
// every REST answer must be HTTP 200 with an envelope (here: 60009, unknown API).
func (g *Gateway) Mount(other http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v4" || strings.HasPrefix(r.URL.Path, "/v4/") {
			g.ServeHTTP(w, r)
			return
		}
		other.ServeHTTP(w, r)
	})
}

// ServeHTTP answers every request with HTTP 200 and an envelope, in wire.md's order of checks.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/v4/")
	service := envelope.ServiceByName(path[:max(0, strings.IndexByte(path, '/'))])
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("operation panicked", "path", r.URL.Path, "panic", p)
			write(w, envelope.AppendFail(nil, service, service.InternalCode(), "internal error, retry"))
		}
	}()
	out, err := g.serve(r, path, service)
	if err != nil {
		code, info := envelope.Of(service, err)
		if code == service.InternalCode() || code == service.TimeoutCode() {
			g.log.Error("operation failed", "path", r.URL.Path, "err", err)
		}
		out = envelope.AppendFail(out[:0], service, code, info)
	}
	write(w, out)
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
		return nil, envelope.Errorf(protocol.CodeBadRequestLine, "method %s is not allowed: use POST", r.Method)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, envelope.Errorf(protocol.CodeBadRequestLine, "query string does not parse")
	}
	appID := q.Get("sdkappid")
	if appID == "" {
		return nil, envelope.Errorf(protocol.CodeMissingSDKAppID, "sdkappid is missing")
	}
	if n, err := strconv.ParseUint(appID, 10, 64); err != nil || n != g.appID {
		return nil, envelope.Errorf(protocol.CodeWrongSDKAppID, "sdkappid %s is not this app", appID)
	}
	rt := g.routes[path]
	if rt == nil {
		return nil, envelope.Errorf(protocol.CodeUnknownCommand, "unknown API %s", r.URL.Path)
	}
	identifier, sig := q.Get("identifier"), q.Get("usersig")
	if identifier == "" || sig == "" {
		return nil, envelope.Errorf(protocol.CodeMissingIdentity, "identifier and usersig are required")
	}
	if err := g.sigs.Verify(identifier, sig, g.now()); err != nil {
		return nil, err
	}
	if !g.admins[identifier] {
		return nil, envelope.Errorf(protocol.CodeNotAdmin, "identifier %s is not an administrator of this app", identifier)
	}
	if rt.limit != nil && !rt.limit.AllowN(g.now(), 1) {
		return nil, envelope.Errorf(protocol.CodeRateLimited, "rate limit of %s exceeded", rt.op.Command)
	}
	body, err := jsonbody.Read(r.Body)
	if err != nil {
		return nil, err
	}
	if err := jsonbody.Check(body); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	resp, err := rt.op.Serve(ctx, &Call{Identifier: identifier, ClientIP: clientIP(r), Body: body, service: service})
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
