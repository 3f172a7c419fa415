// Package app opens what one running instance of the service shares between its functions:
// the configuration, the store, the clock and the outbox. The local server and every deployed
// function binary build their handlers from one App.
//
// Internal to this module: not a supported API for other modules.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
	"github.com/chatfollow/chatfollow/shared/delivery"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
	"github.com/chatfollow/chatfollow/shared/webhook"
)

// App is an opened instance.
type App struct {
	Config config.Config
	Store  store.Store
	Outbox *outbox.Outbox
	Log    *slog.Logger
	Now    func() time.Time
	// Sender and Dispatcher send webhooks to CHAT_CALLBACK_URL; nil when it is empty.
	Sender     *webhook.Sender
	Dispatcher *delivery.Dispatcher

	background atomic.Bool // a Run loop drains the outbox, so commits only wake it
}

// Open opens the store named by cfg.DatabaseURL and applies its migrations.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	if cfg.DatabaseURL == "" {
		return nil, fmt.Errorf("CHAT_DATABASE_URL is required")
	}
	st, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Store: st, Log: log, Now: time.Now}
	if cfg.Callback.URL != "" {
		target := webhook.Target{URL: cfg.Callback.URL, SDKAppID: cfg.SDKAppID, Token: cfg.Callback.Token}
		a.Sender, err = webhook.NewSender(target, cfg.Callback.Timeout, cfg.Callback.HMACSecret, a.now)
		if err != nil {
			st.Close()
			return nil, err
		}
		a.Dispatcher = delivery.New(st, a.Sender, cfg.Callback.Timeout, cfg.Callback.Retry, a.now, log)
	}
	a.Outbox = outbox.New(st, a.Dispatcher != nil, a.committed, a.now)
	return a, nil
}

// now reads the clock through the field, so a test that replaces Now is obeyed everywhere.
func (a *App) now() time.Time { return a.Now() }

// committed makes the first attempt of the deliveries a transaction wrote: inline, within the
// attempt timeout, in a deployed function (nothing runs between its invocations); by waking the
// background loop when RunDispatcher is running.
func (a *App) committed(ctx context.Context, ids []int64) {
	if a.background.Load() {
		a.Dispatcher.Kick()
		return
	}
	a.Dispatcher.Deliver(ctx, ids)
}

// RunDispatcher drains the outbox in the background until ctx ends; meanwhile commits wake it
// instead of attempting inline. It returns at once when webhooks are off.
func (a *App) RunDispatcher(ctx context.Context) {
	if a.Dispatcher == nil {
		return
	}
	a.background.Store(true)
	defer a.background.Store(false)
	a.Dispatcher.Run(ctx)
}

// Close releases the store.
func (a *App) Close() error { return a.Store.Close() }

// Deps is what REST operations are built with.
func (a *App) Deps() rest.Deps {
	return rest.Deps{Config: a.Config, Store: a.Store, Outbox: a.Outbox, Now: a.now, Sender: a.Sender}
}

// REST returns the gateway serving the given operations.
func (a *App) REST(ops ...func(rest.Deps) rest.Operation) (*rest.Gateway, error) {
	deps := a.Deps()
	built := make([]rest.Operation, len(ops))
	for i, op := range ops {
		built[i] = op(deps)
	}
	return rest.NewGateway(a.Config, a.now, a.Log, built...)
}

// Health answers GET /healthz: 200 when the store answers, 503 otherwise.
func (a *App) Health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if err := a.Store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"unavailable"}`))
		return
	}
	w.Write([]byte(`{"status":"ok"}`))
}
