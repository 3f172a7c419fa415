// Package followdelete is v4/follow/follow_delete: From_Account unfollows up to 20 accounts,
// given as plain strings in To_Account.
//
// Rules (docs/wire.md sections 2 and 7): shape first (30001, 60015), then From_Account must be
// imported (30003). Each distinct target gets 30001 for an invalid UserID or oneself, 30003 when
// not imported, else 0 whether it was followed or not. Only targets actually unfollowed go into
// the Follow.CallbackAfterFollowDelete webhook, which is not sent when there are none.
//
// Internal to this module: not a supported API for other modules.
package followdelete

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/follow"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operation is follow_delete.
var Operation = follow.HandleTargets(protocol.CommandFollowDelete, follow.MaxTargets, followDelete)

func followDelete(ctx context.Context, deps rest.Deps, call *rest.Call, from string, targets []string) (*protocol.FollowDeleteResponse, error) {
	now := deps.Now()
	var resp protocol.FollowDeleteResponse
	err := deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		accounts, _, err := follow.Accounts(ctx, tx, from, targets)
		if err != nil {
			return err
		}
		resp.ResultItem = make([]protocol.FollowResult, len(targets))
		var unfollow []string
		for i, to := range targets {
			r := protocol.FollowResult{ToAccount: to}
			r.ResultCode, r.ResultInfo = follow.CheckTarget(accounts, from, to, false)
			if r.ResultCode == protocol.OK {
				unfollow = append(unfollow, to)
			}
			resp.ResultItem[i] = r
		}
		removed, err := tx.Unfollow(ctx, from, unfollow)
		if err != nil {
			return err
		}
		if len(removed) > 0 {
			events.Add(from, protocol.NewAfterFollowDelete(from, removed, now))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}
