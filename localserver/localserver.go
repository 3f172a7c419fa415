// Package localserver mounts every function on one handler: the REST operations under /v4/,
// the health check, and the webhook receivers at /callback and /callback/<CallbackCommand>. It is
// the local server of docs/product.md, and what tests and the benchmark start in-process.
//
// Internal to this module: not a supported API for other modules.
package localserver

import (
	"context"
	"fmt"
	"net/http"

	accountcheck "github.com/chatfollow/chatfollow/functions/account-check"
	accountdelete "github.com/chatfollow/chatfollow/functions/account-delete"
	accountimport "github.com/chatfollow/chatfollow/functions/account-import"
	addsubscriber "github.com/chatfollow/chatfollow/functions/add-subscriber"
	createofficialaccount "github.com/chatfollow/chatfollow/functions/create-official-account"
	deletesubscriber "github.com/chatfollow/chatfollow/functions/delete-subscriber"
	destroyofficialaccount "github.com/chatfollow/chatfollow/functions/destroy-official-account"
	followadd "github.com/chatfollow/chatfollow/functions/follow-add"
	followcheck "github.com/chatfollow/chatfollow/functions/follow-check"
	followdelete "github.com/chatfollow/chatfollow/functions/follow-delete"
	followget "github.com/chatfollow/chatfollow/functions/follow-get"
	followgetinfo "github.com/chatfollow/chatfollow/functions/follow-get-info"
	getofficialaccountinfo "github.com/chatfollow/chatfollow/functions/get-official-account-info"
	getsubscribedofficialaccountlist "github.com/chatfollow/chatfollow/functions/get-subscribed-official-account-list"
	getsubscriberinfo "github.com/chatfollow/chatfollow/functions/get-subscriber-info"
	modifyofficialaccountbaseinfo "github.com/chatfollow/chatfollow/functions/modify-official-account-base-info"
	modifysubscriberinfo "github.com/chatfollow/chatfollow/functions/modify-subscriber-info"
	multiaccountimport "github.com/chatfollow/chatfollow/functions/multiaccount-import"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/profile"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operations lists every REST operation.
func Operations() []func(rest.Deps) rest.Operation {
	return []func(rest.Deps) rest.Operation{
		followadd.Operation, followdelete.Operation, followcheck.Operation, followget.Operation, followgetinfo.Operation,
		accountimport.Operation, multiaccountimport.Operation, accountcheck.Operation, accountdelete.Operation,
		createofficialaccount.Operation, destroyofficialaccount.Operation, modifyofficialaccountbaseinfo.Operation,
		getofficialaccountinfo.Operation, addsubscriber.Operation, deletesubscriber.Operation,
		modifysubscriberinfo.Operation, getsubscriberinfo.Operation, getsubscribedofficialaccountlist.Operation,
	}
}

// New returns the handler of the local server.
func New(a *app.App) (http.Handler, error) {
	gw, err := a.REST(Operations()...)
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
