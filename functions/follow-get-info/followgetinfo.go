// Package followgetinfo is v4/follow/follow_get_info: the follower, following and mutual counts
// of up to 20 accounts. From_Account itself may be a target (its own counts); a target that is
// not imported is item 30003 and an invalid UserID item 30001, both with zero counts.
//
// Internal to this module: not a supported API for other modules.
package followgetinfo

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/follow"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operation is follow_get_info.
var Operation = follow.HandleTargets(protocol.CommandFollowGetInfo, follow.MaxTargets, followGetInfo)

func followGetInfo(ctx context.Context, deps rest.Deps, call *rest.Call, from string, targets []string) (*protocol.FollowGetInfoResponse, error) {
	var resp protocol.FollowGetInfoResponse
	err := deps.Store.View(ctx, func(tx store.Tx) error {
		accounts, _, err := follow.Accounts(ctx, tx, from, targets)
		if err != nil {
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
