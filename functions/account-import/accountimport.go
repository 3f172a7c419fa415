// Package accountimport is v4/im_open_login_svc/account_import: import one account, or update
// the profile of an imported one. Only the fields present change; a Nick or FaceUrl over 500
// bytes is 40601; an invalid or missing UserID is 70402.
//
// Internal to this module: not a supported API for other modules.
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

// Operation is account_import.
var Operation = rest.Handle(envelope.Account, protocol.CommandAccountImport, 200, accountImport)

func accountImport(ctx context.Context, deps rest.Deps, call *rest.Call, req *protocol.AccountImportRequest) (*rest.NoResponse, error) {
	id, err := userid.Required(envelope.Account, "UserID", req.UserID)
	if err != nil {
		return nil, err
	}
	fields := profile.Fields{Nick: req.Nick, FaceURL: req.FaceURL}
	if err := fields.Check(); err != nil {
		return nil, err
	}
	now := deps.Now()
	return nil, deps.Store.Update(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, []string{id})
		if err != nil {
			return err
		}
		current, exists := accounts[id]
		return tx.PutAccount(ctx, profile.Apply(id, current, exists, fields, now))
	})
}
