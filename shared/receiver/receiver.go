// Package receiver is the app backend's side of Tencent Chat's webhooks (docs/wire.md sections
// 5-7): it verifies each delivery, decodes its body strictly, records it durably in an event
// log, acknowledges redeliveries without applying them twice, keeps a mirror of follows,
// official accounts and subscriptions, answers the before-webhooks from the app's policy, and
// calls the app's own typed Handlers. Every receiver function under functions/on-* and the
// single-URL functions/callback are this package bound to one command or to all of them
// (through shared/receiver/function, which reads the RECEIVER_* variables).
//
// This package is supported public API for any Go backend behind Tencent Chat (or this
// project's server): Open (or New on a store.ReceiverStore of your own), Handler (every command
// on one URL), CommandHandler (one command), Mount, the typed Handlers and the before-webhook
// policy (Config.DenyOwners, Config.DenySubscribers, Handlers.Before*), the mirror queries
// (Follows, Following, Subscriptions, OfficialAccounts, Events), Replay, Prune and
// RunRetention. Its dependencies are the standard library, the module's shared/config,
// shared/store, shared/protocol, shared/webhook, shared/envelope and shared/jsonbody, and the SQLite and
// PostgreSQL drivers; nothing of the server half. See docs/receivers.md.
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
//	EventTime later than RequestTime (without RECEIVER_TOKENS: the
//	receiver's clock) plus RECEIVER_MAX_SKEW; such an event is recorded
//	nowhere                                                               400  30001 (Follow) / 6017
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
//
// Supported API for other modules (see the README).
package receiver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

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
	retention       time.Duration
	handlers        Handlers

	store store.ReceiverStore
	now   func() time.Time
	log   *slog.Logger
}

// Config is the receivers' configuration (RECEIVER_* variables; see config.LoadReceiver).
type Config = config.Receiver

// New returns a Receiver configured by cfg that keeps its log and mirror in st (cfg.DatabaseURL
// is not read); Close closes st. now is its clock (time.Now when nil); log may be nil.
func New(cfg Config, st store.ReceiverStore, now func() time.Time, log *slog.Logger, h Handlers) (*Receiver, error) {
	if cfg.MaxSkew <= 0 {
		return nil, errors.New("RECEIVER_MAX_SKEW must be positive")
	}
	if cfg.Retention < 0 {
		return nil, errors.New("RECEIVER_RETENTION must not be negative")
	}
	if now == nil {
		now = time.Now
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
		retention:       cfg.Retention,
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

// Open returns a Receiver configured by cfg, with the app's handlers h, that keeps its log and
// mirror in the database cfg.DatabaseURL names (sqlite:<path> or postgres://...), migrated with
// the receivers' own migrations; Close releases it. log may be nil.
func Open(ctx context.Context, cfg Config, h Handlers, log *slog.Logger) (*Receiver, error) {
	if cfg.DatabaseURL == "" {
		return nil, errors.New("RECEIVER_DATABASE_URL is required")
	}
	st, err := sqlstore.OpenReceivers(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("RECEIVER_DATABASE_URL: %w", err)
	}
	r, err := New(cfg, st, nil, log, h)
	if err != nil {
		st.Close()
		return nil, err
	}
	return r, nil
}

// Close closes the Receiver's store.
func (r *Receiver) Close() error {
	if r.store == nil {
		return nil
	}
	return r.store.Close()
}

// Store is where the Receiver keeps its log and mirror.
func (r *Receiver) Store() store.ReceiverStore { return r.store }

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
	err = r.store.Update(ctx, func(tx store.ReceiverTx) error {
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
	err := r.store.View(ctx, func(tx store.ReceiverTx) error {
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

// Ping reports whether the Receiver's database answers.
func (r *Receiver) Ping(ctx context.Context) error { return r.store.Ping(ctx) }
