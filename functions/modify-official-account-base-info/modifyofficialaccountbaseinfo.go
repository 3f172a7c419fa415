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
//
// Internal to this module: not a supported API for other modules.
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

// Operation is modify_official_account_base_info.
var Operation = official.HandleOne(protocol.CommandModifyOfficialAccountBaseInfo,
	func(r *protocol.ModifyOfficialAccountBaseInfoRequest) *string { return r.OfficialAccount }, modifyOfficialAccountBaseInfo)

func modifyOfficialAccountBaseInfo(ctx context.Context, deps rest.Deps, call *rest.Call, id string, req *protocol.ModifyOfficialAccountBaseInfoRequest) (*rest.NoResponse, error) {
	if official.NoFields(req.OfficialAccountFields) {
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "give at least one of Name, Introduction, FaceUrl, Organization, CustomString, MaxSubscriberNum")
	}
	if err := official.CheckFields(req.OfficialAccountFields); err != nil {
		return nil, err
	}
	now := deps.Now()
	return nil, deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		current, err := official.Get(ctx, tx, id)
		if err != nil {
			return err
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
