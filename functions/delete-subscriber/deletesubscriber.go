// Package deletesubscriber is v4/official_account_open_http_svc/delete_subscriber: remove up to
// 100 subscribers from an official account.
//
// Official_Account is required (6017) and must name an existing official account (130007,
// 130004). The accounts come as SubscriberToDel_Account (strings) or SubscriberList
// ({Subscriber_Account} objects), exactly one of the two, 1 to 100 items counted before
// de-duplication (6017 otherwise). Each distinct account gets one Result, in request order: 1
// removed, 2 was not subscribed, 0 failed (not a valid or imported UserID).
// OfficialAccount.CallbackAfterDeleteSubscriber lists only the accounts actually removed, with
// Operator_Account the administrator making the call; it is not sent when there are none.
//
// Internal to this module: not a supported API for other modules.
package deletesubscriber

import (
	"context"
	"slices"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Operation is delete_subscriber.
var Operation = official.HandleOne(protocol.CommandDeleteSubscriber,
	func(r *protocol.DeleteSubscriberRequest) *string { return r.OfficialAccount }, deleteSubscriber)

func deleteSubscriber(ctx context.Context, deps rest.Deps, call *rest.Call, oaID string, req *protocol.DeleteSubscriberRequest) (*protocol.DeleteSubscriberResponse, error) {
	ids, err := parse(*req)
	if err != nil {
		return nil, err
	}
	valid := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !userid.Valid(id) })
	now := deps.Now()
	var resp protocol.DeleteSubscriberResponse
	err = deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		// Accounts before the official account: the store's lock order.
		accounts, err := tx.Accounts(ctx, valid)
		if err != nil {
			return err
		}
		if _, err := official.Get(ctx, tx, oaID); err != nil {
			return err
		}
		var imported []string
		for _, id := range valid {
			if _, ok := accounts[id]; ok {
				imported = append(imported, id)
			}
		}
		removed, err := tx.Unsubscribe(ctx, oaID, imported)
		if err != nil {
			return err
		}
		resp.SubscriberList = make([]protocol.SubscriberResult, len(ids))
		for i, id := range ids {
			r := protocol.SubscriberResult{SubscriberAccount: id, Result: protocol.SubscriberFailed}
			switch {
			case slices.Contains(removed, id):
				r.Result = protocol.SubscriberRemoved
			case slices.Contains(imported, id):
				r.Result = protocol.SubscriberNotSubscribed
			}
			resp.SubscriberList[i] = r
		}
		if len(removed) > 0 {
			events.Add(oaID, protocol.NewSubscribers(protocol.CallbackAfterDeleteSubscriber, oaID, call.Identifier, removed, now))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

// parse takes the accounts from whichever of the two lists is given.
func parse(req protocol.DeleteSubscriberRequest) ([]string, error) {
	switch {
	case req.SubscriberToDelAccount != nil && req.SubscriberList != nil:
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "give SubscriberToDel_Account or SubscriberList, not both")
	case req.SubscriberList != nil:
		return official.SubscriberItems("SubscriberList", req.SubscriberList)
	default:
		return official.SubscriberIDs("SubscriberToDel_Account", req.SubscriberToDelAccount)
	}
}
