// Package accountimport is v4/im_open_login_svc/account_import: import one account, or update
// the profile of an imported one. Only the fields present change; a Nick or FaceUrl over 500
// bytes is 40601; an invalid or missing UserID is 70402.
package accountimport

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/profile"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Operation returns account_import bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.Account, Command: "account_import", Rate: 200, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.AccountImportRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	id, err := userid.Required(envelope.Account, "UserID", req.UserID)
	if err != nil {
		return nil, err
	}
	fields := profile.Fields{Nick: req.Nick, FaceURL: req.FaceURL}
	if err := fields.Check(); err != nil {
		return nil, err
	}
	now := h.deps.Now()
	return nil, h.deps.Store.Update(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, []string{id})
		if err != nil {
			return err
		}
		current, exists := accounts[id]
		return tx.PutAccount(ctx, profile.Apply(id, current, exists, fields, now))
	})
}
