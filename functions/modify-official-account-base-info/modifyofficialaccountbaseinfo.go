// Package modifyofficialaccountbaseinfo is
// v4/official_account_open_http_svc/modify_official_account_base_info: change the writable
// fields of an official account.
//
// Official_Account is required (6017) and must name an existing official account (130007,
// 130004). Any of Name, Introduction, FaceUrl, Organization, CustomString and MaxSubscriberNum may
// be given, at least one (6017), each within its limit (6017); absent fields keep their values.
// Lowering MaxSubscriberNum below SubscriberNum keeps the subscribers and refuses new ones until
// there is room. Every successful call fires OfficialAccount.CallbackAfterOfficialAccountInfoChanged
// with the account's fields after the change.
package modifyofficialaccountbaseinfo

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operation returns modify_official_account_base_info bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.OfficialAccount, Command: "modify_official_account_base_info", Rate: 200, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.ModifyOfficialAccountBaseInfoRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	id, err := official.RequiredID("Official_Account", req.OfficialAccount)
	if err != nil {
		return nil, err
	}
	if official.NoFields(req.OfficialAccountFields) {
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "give at least one of Name, Introduction, FaceUrl, Organization, CustomString, MaxSubscriberNum")
	}
	if err := official.CheckFields(req.OfficialAccountFields); err != nil {
		return nil, err
	}
	now := h.deps.Now()
	return nil, h.deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		found, err := tx.OfficialAccounts(ctx, []string{id})
		if err != nil {
			return err
		}
		current, ok := found[id]
		if !ok {
			return official.NotFound(id)
		}
		oa := official.ApplyFields(req.OfficialAccountFields, current)
		if err := tx.UpdateOfficialAccount(ctx, oa); err != nil {
			return err
		}
		events.Add(id, protocol.AfterOfficialAccountInfoChanged{
			CallbackCommand: protocol.CallbackAfterOfficialAccountInfoChanged, OfficialAccount: id, OperatorAccount: call.Identifier,
			Name: oa.Name, Introduction: oa.Introduction, FaceURL: oa.FaceURL, Organization: oa.Organization,
			EventTime: now.UnixMilli(),
		})
		return nil
	})
}
