// Package addsubscriber is v4/official_account_open_http_svc/add_subscriber: subscribe up to 100
// accounts to an official account.
//
// Rules (docs/wire.md sections 4, 5 and 7): Official_Account is required (6017) and must name an
// existing official account (130007, 130004); SubscriberList lists 1 to 100 {Subscriber_Account}
// items (counted before de-duplication; 6017 otherwise). Each distinct account gets one Result,
// in request order: 1 subscribed now, 2 already subscribed, 0 failed (not a valid or imported
// UserID, refused by the before-add webhook, or the official account is full). SubscriberNum
// never passes MaxSubscriberNum: the official account's row is held while it is counted.
//
// When a callback URL is configured and some accounts would be added (imported and not yet
// subscribed), OfficialAccount.CallbackBeforeAddSubscriber lists them, before any transaction
// opens. Accounts its answer names in RefusedMembers_Account (strings or {Subscriber_Account}
// objects) get Result 0; a non-zero ErrorCode refuses them all (the call still answers OK); a
// failed or timed-out call refuses none. Only the accounts it was asked about can be added by
// this call, each re-checked inside the transaction.
//
// OfficialAccount.CallbackAfterAddSubscriber lists the accounts actually added, and
// OfficialAccount.CallbackAfterOfficialAccountFull fires once when this call's additions make
// SubscriberNum reach MaxSubscriberNum (refusals because the account is full do not fire it).
//
// Internal to this module: not a supported API for other modules.
package addsubscriber

import (
	"context"
	"slices"
	"time"

	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Operation is add_subscriber.
var Operation = official.HandleOne(protocol.CommandAddSubscriber,
	func(r *protocol.AddSubscriberRequest) *string { return r.OfficialAccount }, addSubscriber)

func addSubscriber(ctx context.Context, deps rest.Deps, call *rest.Call, oaID string, req *protocol.AddSubscriberRequest) (*protocol.AddSubscriberResponse, error) {
	ids, err := official.SubscriberItems("SubscriberList", req.SubscriberList)
	if err != nil {
		return nil, err
	}
	valid := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !userid.Valid(id) })
	now := deps.Now()

	// allowed is nil when every account may be added, else the accounts the before-add webhook
	// was asked about and did not refuse.
	var allowed map[string]bool
	if deps.Sender != nil {
		if allowed, err = ask(ctx, deps, call, oaID, valid, now); err != nil {
			return nil, err
		}
	}

	var resp protocol.AddSubscriberResponse
	err = deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		// Accounts before the official account: the store's lock order.
		accounts, err := tx.Accounts(ctx, valid)
		if err != nil {
			return err
		}
		oa, err := official.Get(ctx, tx, oaID)
		if err != nil {
			return err
		}
		subscribed, err := tx.Subscriptions(ctx, oaID, valid)
		if err != nil {
			return err
		}
		resp.SubscriberList = make([]protocol.SubscriberResult, len(ids))
		var newly []string
		for i, id := range ids {
			r := protocol.SubscriberResult{SubscriberAccount: id, Result: protocol.SubscriberFailed}
			_, imported := accounts[id]
			_, already := subscribed[id]
			switch {
			case !imported: // also every invalid UserID
			case already:
				r.Result = protocol.SubscriberSubscribed
			case allowed != nil && !allowed[id]:
			case oa.Subscribers+int64(len(newly)) >= oa.MaxSubscribers:
			default:
				r.Result = protocol.SubscriberAdded
				newly = append(newly, id)
			}
			resp.SubscriberList[i] = r
		}
		added, err := tx.Subscribe(ctx, oaID, newly, now)
		if err != nil {
			return err
		}
		if len(added) == 0 {
			return nil
		}
		events.Add(oaID, protocol.NewSubscribers(protocol.CallbackAfterAddSubscriber, oaID, call.Identifier, added, now))
		if oa.Subscribers+int64(len(added)) >= oa.MaxSubscribers {
			events.Add(oaID, protocol.AfterOfficialAccountFull{
				CallbackCommand: protocol.CallbackAfterOfficialAccountFull, OfficialAccount: oaID, EventTime: now.UnixMilli(),
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

// ask finds the accounts that would be added (imported and not yet subscribed), asks the
// before-add webhook about them, and returns those it may add. An official account that does not
// exist is 130004 before anything is sent.
func ask(ctx context.Context, deps rest.Deps, call *rest.Call, oaID string, ids []string, now time.Time) (map[string]bool, error) {
	var candidates []string
	err := deps.Store.View(ctx, func(tx store.Tx) error {
		if _, err := official.Get(ctx, tx, oaID); err != nil {
			return err
		}
		accounts, err := tx.Accounts(ctx, ids)
		if err != nil {
			return err
		}
		subscribed, err := tx.Subscriptions(ctx, oaID, ids)
		if err != nil {
			return err
		}
		candidates = candidates[:0]
		for _, id := range ids {
			if _, imported := accounts[id]; imported {
				if _, already := subscribed[id]; !already {
					candidates = append(candidates, id)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	allowed := make(map[string]bool, len(candidates))
	if len(candidates) == 0 {
		return allowed, nil
	}
	before := protocol.NewSubscribers(protocol.CallbackBeforeAddSubscriber, oaID, call.Identifier, candidates, now)
	answer, ok := official.Ask(ctx, deps.Sender, call.ClientIP, before)
	if ok && answer.ErrorCode != 0 {
		return allowed, nil // every candidate refused
	}
	for _, id := range candidates {
		allowed[id] = true
	}
	if ok {
		for _, id := range answer.RefusedMembers {
			delete(allowed, id)
		}
	}
	return allowed, nil
}
