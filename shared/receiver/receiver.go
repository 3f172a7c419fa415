// Package receiver is the app backend's side of Tencent Chat's webhooks (wire.md sections 5-7):
// it verifies each delivery, decodes its body strictly, records it durably in an event log,
// acknowledges redeliveries without applying them twice, keeps a mirror of follows, official
// accounts and subscriptions, answers the before-webhooks from the app's policy, and calls the
// app's own typed Handlers. Every receiver function under functions/on-* and the single-URL
// functions/callback are this package bound to one command or to all of them.
//
// Checks, in order (codes are Tencent's REST codes of the same meaning):
//
//	method is not POST; query unparseable; SdkAppid, CallbackCommand,
//	Sign or RequestTime given twice                                       400  60002
//	SdkAppid missing / not RECEIVER_SDKAPPID                              400  60012 / 60006
//	CallbackCommand missing, unknown, or not the command of the URL       400  60009
//	with RECEIVER_TOKENS: Sign or RequestTime missing                     401  60004
//	RequestTime not within RECEIVER_MAX_SKEW of now, either way           401  70001
//	Sign matches none of the tokens (constant-time compare)               401  70009
//	body larger than 1 MiB                                                400  60003
//	with RECEIVER_HMAC_SECRETS: Standard Webhooks body signature missing,
//	wrong, or its timestamp outside RECEIVER_MAX_SKEW                     401  70009
//	body not one JSON object                                              400  60003
//	an account field is not a string                                      400  60015
//	a field of the wrong type; the field the event is about (From_Account,
//	Official_Account, Owner_Account, list items) empty; EventTime not a
//	positive integer                                                      400  30001 (Follow) / 6017
//	the body's CallbackCommand is not the query's                         400  60009
//
// Unknown body members are ignored (Tencent adds fields over time); OptPlatform and ClientIP are
// recorded as sent, unknown platforms included. Nothing in an ErrorInfo reveals a token, secret
// or expected signature.
//
// A verified event is then answered HTTP 200 only after it is committed to the log: the command,
// the body as received, its SHA-256, EventTime, ClientIP, OptPlatform, the time received and the
// answer given. (Command, body hash) identifies an event, since Tencent gives no delivery ID and
// redelivers the same body: a redelivery is counted and answered as the first delivery was, and
// changes nothing else (app after-handlers are not called again). A new after-event is applied
// to the mirror in the same transaction (see apply for the rules); Replay rebuilds the mirror
// from the log. When the store or an app handler fails the answer is HTTP 500 with the
// service's internal code, so the sender retries.
package receiver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
)

// Receiver verifies, records and applies webhook deliveries for one app.
type Receiver struct {
	appID           uint64
	tokens          []string
	maxSkew         time.Duration
	bodySecrets     []*standardwebhooks.Webhook
	denyOwners      map[string]bool
	denySubscribers map[string]bool
	handlers        Handlers

	store      store.Store
	closeStore func() error // set when the receiver opened its own store
	now        func() time.Time
	log        *slog.Logger
}

// New returns a Receiver configured by cfg that keeps its log and mirror in st.
func New(cfg config.Receiver, st store.Store, now func() time.Time, log *slog.Logger, h Handlers) (*Receiver, error) {
	if cfg.MaxSkew <= 0 {
		return nil, errors.New("RECEIVER_MAX_SKEW must be positive")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Receiver{
		appID:           cfg.SDKAppID,
		tokens:          cfg.Tokens,
		maxSkew:         cfg.MaxSkew,
		denyOwners:      set(cfg.DenyOwners),
		denySubscribers: set(cfg.DenySubscribers),
		handlers:        h,
		store:           st,
		now:             now,
		log:             log,
	}
	for i, secret := range cfg.HMACSecrets {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			return nil, fmt.Errorf("RECEIVER_HMAC_SECRETS: secret %d: want whsec_<base64>", i+1)
		}
		r.bodySecrets = append(r.bodySecrets, wh)
	}
	return r, nil
}

// Open returns the Receiver of app a with the app's handlers h. Its store is
// RECEIVER_DATABASE_URL: the app's own store when that is unset (the default) or equal to
// CHAT_DATABASE_URL, else a store it opens, once, and releases on Close.
func Open(ctx context.Context, a *app.App, h Handlers) (*Receiver, error) {
	cfg := a.Config.Receiver
	st := a.Store
	var closeStore func() error
	if cfg.DatabaseURL != "" && cfg.DatabaseURL != a.Config.DatabaseURL {
		own, err := sqlstore.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("RECEIVER_DATABASE_URL: %w", err)
		}
		st, closeStore = own, own.Close
	}
	r, err := New(cfg, st, func() time.Time { return a.Now() }, a.Log, h)
	if err != nil {
		if closeStore != nil {
			closeStore()
		}
		return nil, err
	}
	r.closeStore = closeStore
	return r, nil
}

// Close releases the store the Receiver opened, if any; the app's store stays open.
func (r *Receiver) Close() error {
	if r.closeStore == nil {
		return nil
	}
	return r.closeStore()
}

// Store is where the Receiver keeps its log and mirror.
func (r *Receiver) Store() store.Store { return r.store }

// delivery is a verified, decoded event on its way to the log.
type delivery struct {
	cmd   command
	body  protocol.CallbackBody
	event Event
	hash  string
}

// process records d and answers it: the HTTP status and the answer body.
func (r *Receiver) process(ctx context.Context, d *delivery) (int, []byte) {
	var (
		answer []byte // nil: the plain acceptance
		err    error
	)
	if d.cmd.before {
		answer, err = r.decide(ctx, d.event, d.body)
	} else if handle := r.handlers.after(d.cmd.name, d.body); handle != nil {
		err = r.runOnce(ctx, d, handle)
	}
	if err != nil {
		return r.failure(d, "handler", err)
	}
	var stored store.ReceivedEvent
	err = r.store.Update(ctx, func(tx store.Tx) error {
		var fresh bool
		var err error
		stored, fresh, err = tx.RecordEvent(ctx, store.ReceivedEvent{
			Command:    d.cmd.name,
			BodyHash:   d.hash,
			Body:       d.event.Body,
			EventTime:  d.event.EventTime.UnixMilli(),
			ClientIP:   d.event.ClientIP,
			Platform:   d.event.Platform,
			ReceivedAt: d.event.ReceivedAt,
			Answer:     answer,
		})
		if err != nil || !fresh || d.cmd.before {
			return err
		}
		return apply(ctx, tx, d.cmd.name, d.body)
	})
	if err != nil {
		return r.failure(d, "record", err)
	}
	if len(stored.Answer) == 0 {
		return 200, okAnswer
	}
	return 200, stored.Answer
}

// runOnce calls the app's after-handler unless the event is already in the log.
func (r *Receiver) runOnce(ctx context.Context, d *delivery, handle func(context.Context, Event) error) error {
	err := r.store.View(ctx, func(tx store.Tx) error {
		_, err := tx.FindReceivedEvent(ctx, d.event.EventTime.UnixMilli(), d.cmd.name, d.hash)
		return err
	})
	switch {
	case err == nil:
		return nil // a redelivery: handled when it first came
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	return handle(ctx, d.event)
}

// failure answers a delivery that could not be handled or recorded: HTTP 500 with the command's
// internal (or timeout) code; an *envelope.Error from an app handler keeps its code and info.
func (r *Receiver) failure(d *delivery, stage string, err error) (int, []byte) {
	r.log.Error("webhook not recorded", "command", d.cmd.name, "stage", stage, "err", err)
	code, info := envelope.Of(d.cmd.service, err)
	return 500, failAnswer(code, info)
}

// hashBody is the identity of a body: lower-case hex SHA-256.
func hashBody(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Function returns what a receiver function's main passes to platform.ServeHTTP: the receiver of
// command alone, or of every command on a single URL when command is "", with the app's
// handlers h.
func Function(command string, h Handlers) func(context.Context, *app.App) (http.Handler, error) {
	return func(ctx context.Context, a *app.App) (http.Handler, error) {
		r, err := Open(ctx, a, h)
		if err != nil {
			return nil, err
		}
		if command == "" {
			return r.Handler(), nil
		}
		return r.CommandHandler(command), nil
	}
}
