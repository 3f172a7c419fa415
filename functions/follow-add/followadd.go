// Package followadd is v4/follow/follow_add: From_Account follows up to 20 accounts.
//
// Rules (docs/wire.md sections 2 and 7): the request's shape is checked first (30001, 60015), then
// From_Account must be imported (30003). Each distinct target then gets its own ResultCode:
// 30001 for an invalid UserID or oneself, 30003 when not imported, 32100 past the following
// limit, 0 when followed now or already. Only targets newly followed go into the
// Follow.CallbackAfterFollowAdd webhook, which is not sent when there are none.
//
// Internal to this module: not a supported API for other modules.
package followadd

import (
	"context"
	"fmt"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/follow"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Operation is follow_add.
var Operation = follow.Handle(protocol.CommandFollowAdd, followAdd)

func followAdd(ctx context.Context, deps rest.Deps, call *rest.Call, req *protocol.FollowAddRequest) (*protocol.FollowAddResponse, error) {
	from, err := userid.Required(envelope.Follow, "From_Account", req.FromAccount)
	if err != nil {
		return nil, err
	}
	if err := userid.CheckCount(envelope.Follow, "FollowItem", len(req.FollowItem), follow.MaxTargets); err != nil {
		return nil, err
	}
	targets := make([]string, len(req.FollowItem))
	for i, item := range req.FollowItem {
		if item.ToAccount == nil {
			return nil, envelope.Errorf(protocol.CodeFollowParam, "FollowItem[%d].To_Account is required", i)
		}
		targets[i] = *item.ToAccount
	}
	targets = userid.Unique(targets)

	now := deps.Now()
	limit := int64(deps.Config.MaxFollowing)
	var resp protocol.FollowAddResponse
	err = deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		accounts, self, err := follow.Accounts(ctx, tx, from, targets)
		if err != nil {
			return err
		}
		relations, err := tx.Relations(ctx, from, userid.ValidOnly(targets))
		if err != nil {
			return err
		}
		resp.ResultItem = make([]protocol.FollowResult, len(targets))
		var newly []string
		for i, to := range targets {
			r := protocol.FollowResult{ToAccount: to}
			r.ResultCode, r.ResultInfo = follow.CheckTarget(accounts, from, to, false)
			switch {
			case r.ResultCode != protocol.OK:
			case relations[to].Following:
				// Already followed: success, and no webhook entry.
			case self.Following+int64(len(newly)) >= limit:
				r.ResultCode, r.ResultInfo = protocol.CodeFollowingLimit, fmt.Sprintf("From_Account already follows the maximum of %d accounts", limit)
			default:
				newly = append(newly, to)
			}
			resp.ResultItem[i] = r
		}
		added, err := tx.Follow(ctx, from, newly, now)
		if err != nil {
			return err
		}
		if len(added) > 0 {
			events.Add(from, protocol.NewAfterFollowAdd(from, added, now))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}
