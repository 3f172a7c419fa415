// Package app opens what one running instance of the service shares between its functions:
// the configuration, the store, the clock and the outbox. The local server and every deployed
// function binary build their handlers from one App.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/chatfollow/chatfollow/shared/config"
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
	Sender *webhook.Sender // to CHAT_CALLBACK_URL; nil when it is empty
	Log    *slog.Logger
	Now    func() time.Time
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
	a.Outbox = outbox.New(st, cfg.Callback.URL != "", nil)
	if cfg.Callback.URL != "" {
		target := webhook.Target{URL: cfg.Callback.URL, SDKAppID: cfg.SDKAppID, Token: cfg.Callback.Token}
		if a.Sender, err = webhook.NewSender(target, cfg.Callback.Timeout, cfg.Callback.HMACSecret, a.Now); err != nil {
			st.Close()
			return nil, err
		}
	}
	return a, nil
}

// Close releases the store.
func (a *App) Close() error { return a.Store.Close() }

// Deps is what REST operations are built with.
func (a *App) Deps() rest.Deps {
	return rest.Deps{Config: a.Config, Store: a.Store, Outbox: a.Outbox, Now: a.Now, Sender: a.Sender}
}

// REST returns the gateway serving the given operations.
func (a *App) REST(ops ...func(rest.Deps) rest.Operation) (*rest.Gateway, error) {
	deps := a.Deps()
	built := make([]rest.Operation, len(ops))
	for i, op := range ops {
		built[i] = op(deps)
	}
	return rest.NewGateway(a.Config, a.Now, a.Log, built...)
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
