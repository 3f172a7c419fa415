// Package destroyofficialaccount is v4/official_account_open_http_svc/destroy_official_account:
// destroy an official account.
//
// Official_Account is required (6017) and must be an official-account ID (130007) of an existing
// official account (130004). Its subscriptions are removed with it, and it fires only
// OfficialAccount.CallbackAfterOfficialAccountDestroyed (no after-delete-subscriber webhook for
// the removed subscriptions, wire.md section 7). Its ID is free again afterwards.
package destroyofficialaccount

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operation returns destroy_official_account bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.OfficialAccount, Command: "destroy_official_account", Rate: 200, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.DestroyOfficialAccountRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	id, err := official.RequiredID("Official_Account", req.OfficialAccount)
	if err != nil {
		return nil, err
	}
	now := h.deps.Now()
	return nil, h.deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		found, err := tx.OfficialAccounts(ctx, []string{id})
		if err != nil {
			return err
		}
		oa, ok := found[id]
		if !ok {
			return official.NotFound(id)
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
