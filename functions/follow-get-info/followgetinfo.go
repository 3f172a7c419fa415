// Package followgetinfo is v4/follow/follow_get_info: the follower, following and mutual counts
// of up to 20 accounts. From_Account itself may be a target (its own counts); a target that is
// not imported is item 30003 and an invalid UserID item 30001, both with zero counts.
//
// Internal to this module: not a supported API for other modules.
package followgetinfo

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/follow"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Operation is follow_get_info.
var Operation = rest.Handle(envelope.Follow, protocol.CommandFollowGetInfo, 200, followGetInfo)

func followGetInfo(ctx context.Context, deps rest.Deps, call *rest.Call, req *protocol.FollowGetInfoRequest) (*protocol.FollowGetInfoResponse, error) {
	from, targets, err := follow.ParseTargets(*req, follow.MaxTargets)
	if err != nil {
		return nil, err
	}
	var resp protocol.FollowGetInfoResponse
	err = deps.Store.View(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, append([]string{from}, userid.ValidOnly(targets)...))
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
	return &resp, nil
}
