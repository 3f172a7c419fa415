// Package rest is the gateway every REST operation runs behind: it makes the shared checks of
// docs/wire.md section 1 in their documented order (request line, SDKAppID, command, UserSig,
// administrator, rate limit, body), then calls the operation and writes Tencent's envelope.
// An operation sees only a checked call and returns its response or an error.
//
// Internal to this module: not a supported API for other modules.
package rest

import (
	"context"
	"net/http"
	"time"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/cursor"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// Operation is one REST command: its route, its rate, and how it answers a checked call with the
// app's dependencies. Operations are declared with Handle; the gateway binds them to Deps.
type Operation struct {
	Service envelope.Service
	Command string  // the command word, e.g. "follow_add"
	Rate    float64 // Tencent's calls per second for this API, before CHAT_RATE_LIMIT
	// Serve answers a checked call. Its response is a struct whose fields follow the envelope's
	// in the answer; an error becomes a FAIL answer through envelope.Of.
	Serve func(ctx context.Context, deps Deps, call *Call) (any, error)
}

// NoResponse is the response type of an operation whose answer is the envelope alone.
type NoResponse = struct{}

// Handle declares the operation service/command whose body is a Req and whose answer carries the
// members of a Resp. serve holds only the operation's rules: the body is decoded before it runs
// (a member of the wrong type is the service's parameter error, 60015 for an account field), and
// what it returns is written in Tencent's envelope (a nil response: the envelope alone).
func Handle[Req, Resp any](service envelope.Service, command string, rate float64,
	serve func(ctx context.Context, deps Deps, call *Call, req *Req) (*Resp, error)) Operation {
	return Operation{Service: service, Command: command, Rate: rate,
		Serve: func(ctx context.Context, deps Deps, call *Call) (any, error) {
			var req Req
			if err := call.Decode(&req); err != nil {
				return nil, err
			}
			resp, err := serve(ctx, deps, call, &req)
			if err != nil || resp == nil {
				return nil, err
			}
			return resp, nil
		}}
}

// Path is the operation's route below /v4/.
func (o Operation) Path() string { return o.Service.Name() + "/" + o.Command }

// Deps is what operations run with.
type Deps struct {
	Config  config.Config
	Store   store.Store
	Outbox  *outbox.Outbox
	Now     func() time.Time
	Sender  *webhook.Sender // sends before-webhooks synchronously; nil when CHAT_CALLBACK_URL is empty
	Cursors cursor.Codec    // signs the paging cursors, with CHAT_SECRET_KEY
}

// Call is a request that passed the shared checks.
type Call struct {
	Identifier string // the administrator making the call
	ClientIP   string // the caller's address, without port
	Body       []byte // one JSON object whose account fields are strings
	service    envelope.Service
}

// Decode unmarshals the body into v; a member of the wrong type is the service's parameter error.
func (c *Call) Decode(v any) error { return jsonbody.Decode(c.Body, v, c.service) }

// DepsOf is what operations run with in the app a.
func DepsOf(a *app.App) Deps {
	return Deps{Config: a.Config, Store: a.Store, Outbox: a.Outbox, Now: func() time.Time { return a.Now() },
		Sender: a.Sender, Cursors: cursor.New(a.Config.SecretKey)}
}

// Function returns what a REST function's main passes to platform.ServeHTTP: the gateway of ops
// in the app, under /v4/, and 404 elsewhere. It lives here, not in package platform, so that a
// receiver's binary does not link the gateway.
func Function(ops ...Operation) func(context.Context, *app.App) (http.Handler, error) {
	return func(_ context.Context, a *app.App) (http.Handler, error) {
		gw, err := AppGateway(a, ops...)
		if err != nil {
			return nil, err
		}
		return gw.Mount(http.NotFoundHandler()), nil
	}
}

// AppGateway is the gateway of ops in the app a: run with its Deps, reporting every answered
// call to its metrics, where each command's series exists at 0 from the start.
func AppGateway(a *app.App, ops ...Operation) (*Gateway, error) {
	gw, err := NewGateway(DepsOf(a), a.Log, ops...)
	if err != nil {
		return nil, err
	}
	commands := make([]string, len(ops))
	for i, op := range ops {
		commands[i] = op.Command
	}
	a.Metrics.Known(commands...)
	gw.Observe(a.Metrics.REST)
	return gw, nil
}
