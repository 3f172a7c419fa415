// Package destroyofficialaccount is v4/official_account_open_http_svc/destroy_official_account:
// destroy an official account.
//
// Official_Account is required (6017) and must be an official-account ID (130007) of an existing
// official account (130004). Its subscriptions are removed with it, and it fires only
// OfficialAccount.CallbackAfterOfficialAccountDestroyed (no after-delete-subscriber webhook for
// the removed subscriptions, docs/wire.md section 7). Its ID is free again afterwards.
//
// Internal to this module: not a supported API for other modules.
package destroyofficialaccount

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operation is destroy_official_account.
var Operation = official.HandleOne(protocol.CommandDestroyOfficialAccount,
	func(r *protocol.DestroyOfficialAccountRequest) *string { return r.OfficialAccount }, destroyOfficialAccount)

func destroyOfficialAccount(ctx context.Context, deps rest.Deps, call *rest.Call, id string, req *protocol.DestroyOfficialAccountRequest) (*rest.NoResponse, error) {
	now := deps.Now()
	return nil, deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		oa, err := official.Get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := tx.DestroyOfficialAccount(ctx, id); err != nil {
			return err
		}
		events.Add(id, protocol.AfterOfficialAccountDestroyed{
			CallbackCommand: protocol.CallbackAfterOfficialAccountDestroyed, OfficialAccount: id,
			OwnerAccount: oa.Owner, Name: oa.Name, EventTime: now.UnixMilli(),
		})
		return nil
	})
}
