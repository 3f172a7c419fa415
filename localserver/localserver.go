// Package localserver mounts every function of the catalogue (package functions) on one handler:
// the REST operations under /v4/, the health check, and the webhook receivers at /callback and
// /callback/<CallbackCommand>. It is the local server of product.md, and what tests and the
// benchmark start in-process.
package localserver

import (
	"context"
	"fmt"
	"net/http"

	"github.com/chatfollow/chatfollow/functions"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/profile"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// New returns the handler of the local server.
func New(a *app.App) (http.Handler, error) {
	gw, err := rest.NewGateway(rest.DepsOf(a), a.Log, functions.Operations()...)
	if err != nil {
		return nil, err
	}
	rcv, err := receiver.Open(context.Background(), a, receiver.Handlers{})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	rcv.Mount(mux)
	mux.HandleFunc("GET /healthz", a.Health)
	return gw.Mount(mux), nil
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
