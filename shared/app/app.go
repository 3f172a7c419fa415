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
	"github.com/chatfollow/chatfollow/shared/metrics"
	"github.com/chatfollow/chatfollow/shared/outbox"
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
	// Metrics is this process's Prometheus registry and instruments (GET /metrics).
	Metrics *metrics.Metrics

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
	m := metrics.New()
	m.WatchDeliveries(st)
	a := &App{Config: cfg, Store: st, Log: log, Now: time.Now, Metrics: m}
	if cfg.Callback.URL != "" {
		target := webhook.Target{URL: cfg.Callback.URL, SDKAppID: cfg.SDKAppID, Token: cfg.Callback.Token}
		a.Sender, err = webhook.NewSender(target, cfg.Callback.Timeout, cfg.Callback.HMACSecret, a.now)
		if err != nil {
			st.Close()
			return nil, err
		}
		a.Dispatcher = delivery.New(st, a.Sender, cfg.Callback.Timeout, cfg.Callback.Retry, a.now, log)
		a.Dispatcher.Observe(m)
	}
	a.Outbox = outbox.New(st, a.Dispatcher != nil, a.committed, a.now)
	return a, nil
}

// now reads the clock through the field, so a test that replaces Now is obeyed everywhere.
func (a *App) now() time.Time { return a.Now() }

// committed makes the first attempt of the deliveries a transaction wrote: inline, within the
// attempt timeout, in a deployed function (nothing runs between its invocations); by waking the
// background loop when RunDispatcher is running.
func (a *App) committed(ctx context.Context, keys []string) {
	if a.background.Load() {
		a.Dispatcher.Kick()
		return
	}
	a.Dispatcher.Deliver(ctx, keys)
}

// pruneInterval is how often a long-running process prunes the delivery history.
const pruneInterval = time.Minute

// RunDispatcher drains the outbox in the background until ctx ends; meanwhile commits wake it
// instead of attempting inline. It returns at once when webhooks are off. It also prunes the
// delivery history (CHAT_DELIVERY_RETENTION) every minute.
func (a *App) RunDispatcher(ctx context.Context) {
	if a.Dispatcher == nil {
		return
	}
	pruned := make(chan struct{})
	go func() {
		defer close(pruned)
		delivery.RunPruner(ctx, a.Store, a.Config.DeliveryRetention, pruneInterval, a.now, a.Log)
	}()
	defer func() { <-pruned }()
	a.background.Store(true)
	defer a.background.Store(false)
	a.Dispatcher.Run(ctx)
}

// ReceiverStore opens the receivers' event log and mirror beside the app: on the app's own
// database and connections when RECEIVER_DATABASE_URL is unset or names it (the local server's
// default), with their own migration set; otherwise on their own database. The caller closes it.
func (a *App) ReceiverStore(ctx context.Context) (store.ReceiverStore, error) {
	url := a.Config.Receiver.DatabaseURL
	if s, ok := a.Store.(*sqlstore.Store); ok && (url == "" || url == a.Config.DatabaseURL) {
		return s.Receivers(ctx)
	}
	if url == "" {
		url = a.Config.DatabaseURL // a test's wrapped store: the same database, a store of its own
	}
	st, err := sqlstore.OpenReceivers(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("RECEIVER_DATABASE_URL: %w", err)
	}
	return st, nil
}

// Close releases the store.
func (a *App) Close() error { return a.Store.Close() }

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
