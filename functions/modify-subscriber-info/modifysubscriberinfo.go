// Package modifysubscriberinfo is v4/official_account_open_http_svc/modify_subscriber_info:
// set the CustomString of one subscription.
//
// Official_Account is required (6017) and must name an existing official account (130007,
// 130004). Subscriber_Account is required and must be an imported account subscribed to it, and
// CustomString is required, at most 3000 bytes: 6017 otherwise. No webhook is sent.
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

// Operation returns modify_subscriber_info bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.OfficialAccount, Command: "modify_subscriber_info", Rate: 200, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.ModifySubscriberInfoRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	oaID, err := official.RequiredID("Official_Account", req.OfficialAccount)
	if err != nil {
		return nil, err
	}
	subscriber, err := userid.Required(envelope.OfficialAccount, "Subscriber_Account", req.SubscriberAccount)
	if err != nil {
		return nil, err
	}
	if req.CustomString == nil {
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "CustomString is required")
	}
	if n := len(*req.CustomString); n > official.MaxCustomStringLen {
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "CustomString is %d bytes; at most %d bytes (UTF-8) are allowed", n, official.MaxCustomStringLen)
	}
	return nil, h.deps.Store.Update(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, []string{subscriber})
		if err != nil {
			return err
		}
		found, err := tx.OfficialAccounts(ctx, []string{oaID})
		if err != nil {
			return err
		}
		if _, ok := found[oaID]; !ok {
			return official.NotFound(oaID)
		}
		if _, ok := accounts[subscriber]; !ok {
			return envelope.Errorf(protocol.CodeOfficialParam, "Subscriber_Account %s is not imported", subscriber)
		}
		err = tx.SetSubscriptionCustomString(ctx, oaID, subscriber, *req.CustomString)
		if errors.Is(err, store.ErrNotFound) {
			return envelope.Errorf(protocol.CodeOfficialParam, "Subscriber_Account %s does not subscribe to %s", subscriber, oaID)
		}
		return err
	})
}
