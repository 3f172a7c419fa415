// Package modifysubscriberinfo is v4/official_account_open_http_svc/modify_subscriber_info:
// set the CustomString of one subscription.
//
// Official_Account is required (6017) and must name an existing official account (130007,
// 130004). Subscriber_Account is required and must be an imported account subscribed to it, and
// CustomString is required, at most 3000 bytes: 6017 otherwise. No webhook is sent.
//
// Internal to this module: not a supported API for other modules.
package modifysubscriberinfo

import (
	"context"
	"errors"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Operation is modify_subscriber_info.
var Operation = official.HandleOne(protocol.CommandModifySubscriberInfo,
	func(r *protocol.ModifySubscriberInfoRequest) *string { return r.OfficialAccount }, modifySubscriberInfo)

func modifySubscriberInfo(ctx context.Context, deps rest.Deps, call *rest.Call, oaID string, req *protocol.ModifySubscriberInfoRequest) (*rest.NoResponse, error) {
	subscriber, err := userid.Required(envelope.OfficialAccount, "Subscriber_Account", req.SubscriberAccount)
	if err != nil {
		return nil, err
	}
	if req.CustomString == nil {
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "CustomString is required")
	}
	if !userid.NoNUL(*req.CustomString) {
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "CustomString must not contain U+0000")
	}
	if n := len(*req.CustomString); n > official.MaxCustomStringLen {
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "CustomString is %d bytes; at most %d bytes (UTF-8) are allowed", n, official.MaxCustomStringLen)
	}
	return nil, deps.Store.Update(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, []string{subscriber})
		if err != nil {
			return err
		}
		if _, err := official.Get(ctx, tx, oaID); err != nil {
			return err
		}
		if _, ok := accounts[subscriber]; !ok {
			return envelope.Errorf(protocol.CodeOfficialParam, "Subscriber_Account %s is not imported", envelope.Echo(subscriber))
		}
		err = tx.SetSubscriptionCustomString(ctx, oaID, subscriber, *req.CustomString)
		if errors.Is(err, store.ErrNotFound) {
			return envelope.Errorf(protocol.CodeOfficialParam, "Subscriber_Account %s does not subscribe to %s", subscriber, oaID)
		}
		return err
	})
}
