// Package localserver mounts every function of the catalogue (package functions) on one handler:
// the REST operations under /v4/, the health check, and the webhook receivers at /callback and
// /callback/<CallbackCommand>. It is the local server of docs/product.md, and what tests and the
// benchmark start in-process.
//
// Internal to this module: not a supported API for other modules.
package localserver

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/chatfollow/chatfollow/functions"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/console"
	"github.com/chatfollow/chatfollow/shared/profile"
	"github.com/chatfollow/chatfollow/shared/rawpath"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
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
	gw, err := rest.AppGateway(a, functions.Operations()...)
	if err != nil {
		return nil, nil, err
	}
	rcv, err := OpenReceivers(ctx, a, receiver.Handlers{})
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.Health)
	mux.Handle("GET /metrics", a.Metrics.Handler())
	var kick func()
	if a.Dispatcher != nil {
		kick = a.Dispatcher.Kick
	}
	cons := console.ForApp(a.Config, a.Store, rcv.Store(), kick, func() time.Time { return a.Now() }, a.Log)
	mux.Handle(console.Prefix, cons)
	mux.Handle(console.Prefix+"/", cons)
	// The gateway and the receivers route /v4 and /callback themselves, on the path as sent; the
	// mux sees only the rest, and only in canonical form, so nothing is ever redirected.
	// Metrics.Receivers counts the refusals of /callback (docs/product.md, GET /metrics).
	return gw.Mount(a.Metrics.Receivers(rcv.Routes(canonicalOnly(mux)))), rcv, nil
}

// OpenReceivers opens the receivers beside app a, with the app's clock and handlers h. When
// RECEIVER_DATABASE_URL is the app's CHAT_DATABASE_URL (the local server's default) they share
// the app's database and its connections, their tables added by their own migration set;
// otherwise they open their own database.
func OpenReceivers(ctx context.Context, a *app.App, h receiver.Handlers) (*receiver.Receiver, error) {
	st, err := a.ReceiverStore(ctx)
	if err != nil {
		return nil, err
	}
	// Metrics.Store counts the receivers' recorded and duplicate events as they commit.
	r, err := receiver.New(a.Config.Receiver, a.Metrics.Store(st), func() time.Time { return a.Now() }, a.Log, h)
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
