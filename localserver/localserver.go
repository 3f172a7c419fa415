// Package localserver mounts every function of the catalogue (package functions) on one handler:
// the REST operations under /v4/, the health check, and the webhook receivers at /callback and
// /callback/<CallbackCommand>. It is the local server of product.md, and what tests and the
// benchmark start in-process.
package localserver

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/chatfollow/chatfollow/functions"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/profile"
	"github.com/chatfollow/chatfollow/shared/rawpath"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/store/sqlstore"
)

// New returns the handler of the local server.
func New(a *app.App) (http.Handler, error) {
	h, _, err := Mount(context.Background(), a)
	return h, err
}

// Mount returns the handler of the local server and the receivers it mounts, whose event log
// the caller prunes (RunRetention) and whose store it closes. The REST operations are the
// catalogue's (functions.Operations).
func Mount(ctx context.Context, a *app.App) (http.Handler, *receiver.Receiver, error) {
	gw, err := rest.NewGateway(rest.DepsOf(a), a.Log, functions.Operations()...)
	if err != nil {
		return nil, nil, err
	}
	rcv, err := OpenReceivers(ctx, a, receiver.Handlers{})
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.Health)
	// The gateway and the receivers route /v4 and /callback themselves, on the path as sent; the
	// mux sees only the rest, and only in canonical form, so nothing is ever redirected.
	return gw.Mount(rcv.Routes(canonicalOnly(mux))), rcv, nil
}

// OpenReceivers opens the receivers beside app a, with the app's clock and handlers h. When
// RECEIVER_DATABASE_URL is the app's CHAT_DATABASE_URL (the local server's default) they share
// the app's database and its connections, their tables added by their own migration set;
// otherwise they open their own database.
func OpenReceivers(ctx context.Context, a *app.App, h receiver.Handlers) (*receiver.Receiver, error) {
	cfg := a.Config.Receiver
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = a.Config.DatabaseURL
	}
	var st store.ReceiverStore
	if s, ok := a.Store.(*sqlstore.Store); ok && cfg.DatabaseURL == a.Config.DatabaseURL {
		shared, err := s.Receivers(ctx)
		if err != nil {
			return nil, err
		}
		st = shared
	} else {
		// Their own database, or the app's through a store of their own when the app's store
		// is not sqlstore's (a test's wrapper).
		own, err := sqlstore.OpenReceivers(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("RECEIVER_DATABASE_URL: %w", err)
		}
		st = own
	}
	r, err := receiver.New(cfg, st, func() time.Time { return a.Now() }, a.Log, h)
	if err != nil {
		st.Close()
		return nil, err
	}
	return r, nil
}

// canonicalOnly answers 404 to a path not in canonical form instead of letting h (a ServeMux)
// redirect it to its cleaned form.
func canonicalOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !rawpath.Canonical(rawpath.Of(r)) {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// ImportAdmins imports every administrator as an account unless it exists, as Tencent does
// when it creates an app, so the first call a developer makes has an account to work on.
func ImportAdmins(ctx context.Context, a *app.App) error {
	admins := a.Config.Admins
	if len(admins) == 0 {
		return nil
	}
	now := a.Now()
	err := a.Store.Update(ctx, func(tx store.Tx) error {
		existing, err := tx.Accounts(ctx, admins)
		if err != nil {
			return err
		}
		for _, id := range admins {
			if _, ok := existing[id]; !ok {
				if err := tx.PutAccount(ctx, profile.Apply(id, store.Account{}, false, profile.Fields{}, now)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import administrators: %w", err)
	}
	return nil
}
