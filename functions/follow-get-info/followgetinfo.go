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
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Request is the body of follow_get_info.
type Request = follow.Targets

// Response lists one result per distinct target, in request order.
type Response struct {
	FollowInfo []Info `json:"FollowInfo"`
}

// Info is the counts of one target.
type Info struct {
	ToAccount            string        `json:"To_Account"`
	ResultCode           envelope.Code `json:"ResultCode"`
	ResultInfo           string        `json:"ResultInfo"`
	FollowerCount        int64         `json:"FollowerCount"`
	FollowingCount       int64         `json:"FollowingCount"`
	MutualFollowingCount int64         `json:"MutualFollowingCount"`
}

// Operation returns follow_get_info bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.Follow, Command: "follow_get_info", Rate: 200, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req Request
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	from, targets, err := req.Parse(follow.MaxTargets)
	if err != nil {
		return nil, err
	}
	var resp Response
	err = h.deps.Store.View(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, append([]string{from}, userid.ValidOnly(targets)...))
		if err != nil {
			return err
		}
		if _, err := follow.RequireFrom(accounts, from); err != nil {
			return err
		}
		resp.FollowInfo = make([]Info, len(targets))
		for i, to := range targets {
			info := Info{ToAccount: to}
			info.ResultCode, info.ResultInfo = follow.CheckTarget(accounts, from, to, true)
			if info.ResultCode == envelope.OK {
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
