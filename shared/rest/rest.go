// Package rest is the gateway every REST operation runs behind: it makes the shared checks of
// docs/wire.md section 1 in their documented order (request line, SDKAppID, command, UserSig,
// administrator, rate limit, body), then calls the operation and writes Tencent's envelope.
// An operation sees only a checked call and returns its response or an error.
//
// Internal to this module: not a supported API for other modules.
package rest

import (
	"context"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/jsonbody"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// Operation is one REST command.
type Operation struct {
	Service envelope.Service
	Command string  // the command word, e.g. "follow_add"
	Rate    float64 // Tencent's calls per second for this API, before CHAT_RATE_LIMIT
	// Serve answers a checked call. Its response is a struct whose fields follow the envelope's
	// in the answer; an error becomes a FAIL answer through envelope.Of.
	Serve func(ctx context.Context, call *Call) (any, error)
}

// Path is the operation's route below /v4/.
func (o Operation) Path() string { return o.Service.Name() + "/" + o.Command }

// Deps is what operations are built with.
type Deps struct {
	Config config.Config
	Store  store.Store
	Outbox *outbox.Outbox
	Now    func() time.Time
	Sender *webhook.Sender // sends before-webhooks synchronously; nil when CHAT_CALLBACK_URL is empty
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
