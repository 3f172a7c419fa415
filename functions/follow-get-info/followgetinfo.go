// Package followgetinfo is v4/follow/follow_get_info: the follower, following and mutual counts
// of up to 20 accounts. From_Account itself may be a target (its own counts); a target that is
// not imported is item 30003 and an invalid UserID item 30001, both with zero counts.
package followgetinfo

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/follow"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operation returns follow_get_info bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.Follow, Command: "follow_get_info", Rate: 200, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.FollowGetInfoRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	from, targets, err := follow.ParseTargets(req, follow.MaxTargets)
	if err != nil {
		return nil, err
	}
	var resp protocol.FollowGetInfoResponse
	err = h.deps.Store.View(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, append([]string{from}, targets...))
		if err != nil {
			return err
		}
		if _, err := follow.RequireFrom(accounts, from); err != nil {
			return err
		}
		resp.FollowInfo = make([]protocol.FollowGetInfoItem, len(targets))
		for i, to := range targets {
			info := protocol.FollowGetInfoItem{ToAccount: to}
			info.ResultCode, info.ResultInfo = follow.CheckTarget(accounts, from, to, true)
			if info.ResultCode == protocol.OK {
				a := accounts[to]
				info.FollowerCount, info.FollowingCount, info.MutualFollowingCount = a.Followers, a.Following, a.Mutual
			}
			resp.FollowInfo[i] = info
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
