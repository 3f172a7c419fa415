// Package accountdelete is v4/im_open_login_svc/account_delete: delete up to 100 accounts.
//
// A deleted account loses its follows in both directions and its subscriptions; the other
// accounts' counts and the official accounts' SubscriberNum stay exact. Per deleted account it
// fires one Follow.CallbackAfterFollowDelete for its own follows, one per follower whose follow
// of it was removed, and one OfficialAccount.CallbackAfterDeleteSubscriber per official account
// it was subscribed to, with Operator_Account the administrator making the call (wire.md
// section 7).
// An unknown account is item 70107 Err_TLS_PT_Open_Login_Account_Not_Exist; an invalid UserID
// item 70402. A deleted account may be imported again and starts empty.
package accountdelete

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// MaxItems is how many accounts one call may delete.
const MaxItems = 100

// Operation returns account_delete bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.Account, Command: "account_delete", Rate: 100, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.AccountDeleteRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	ids, err := userid.ItemIDs(envelope.Account, "DeleteItem", req.DeleteItem, MaxItems)
	if err != nil {
		return nil, err
	}
	now := h.deps.Now()
	var resp protocol.AccountDeleteResponse
	err = h.deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		resp.ResultItem = make([]protocol.AccountDeleteResult, len(ids))
		for i, id := range ids {
			r := protocol.AccountDeleteResult{UserID: id}
			if !userid.Valid(id) {
				r.ResultCode, r.ResultInfo = protocol.CodeAccountParam, fmt.Sprintf("UserID must be 1 to %d bytes", userid.MaxLen)
				resp.ResultItem[i] = r
				continue
			}
			removal, err := tx.DeleteAccount(ctx, id)
			switch {
			case errors.Is(err, store.ErrNotFound):
				r.ResultCode, r.ResultInfo = protocol.CodeAccountNotExist, protocol.AccountNotExistInfo
			case err != nil:
				return err
			default:
				addEvents(events, call.Identifier, id, removal, now)
			}
			resp.ResultItem[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// addEvents records the after-webhooks of one account deleted by operator.
func addEvents(events *outbox.Events, operator, id string, r store.Removal, now time.Time) {
	if len(r.Following) > 0 {
		events.Add(id, protocol.NewAfterFollowDelete(id, r.Following, now))
	}
	for _, follower := range r.Followers {
		events.Add(follower, protocol.NewAfterFollowDelete(follower, []string{id}, now))
	}
	for _, oa := range r.Subscriptions {
		events.Add(oa, protocol.NewSubscribers(protocol.CallbackAfterDeleteSubscriber, oa, operator, []string{id}, now))
	}
}
