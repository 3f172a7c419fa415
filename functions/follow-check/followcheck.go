// Package followcheck is v4/follow/follow_check: the relation between From_Account and up to
// 100 accounts.
//
// FollowType per target: 0 none, 1 the target follows From_Account only, 2 From_Account follows
// the target only, 3 mutual. A target that is not imported is item 30003 (FollowType 0); an
// invalid UserID is item 30001; From_Account itself is accepted and gives FollowType 0.
//
// Internal to this module: not a supported API for other modules.
package followcheck

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/follow"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Operation is follow_check.
var Operation = follow.HandleTargets(protocol.CommandFollowCheck, follow.MaxCheckTargets, followCheck)

func followCheck(ctx context.Context, deps rest.Deps, call *rest.Call, from string, targets []string) (*protocol.FollowCheckResponse, error) {
	var resp protocol.FollowCheckResponse
	err := deps.Store.View(ctx, func(tx store.Tx) error {
		// One statement: which of From_Account and the targets are imported, and how they relate.
		relations, err := tx.Relations(ctx, from, append([]string{from}, userid.ValidOnly(targets)...))
		if err != nil {
			return err
		}
		if _, err := follow.RequireFrom(relations, from); err != nil {
			return err
		}
		resp.ResultItem = make([]protocol.FollowCheckResult, len(targets))
		for i, to := range targets {
			r := protocol.FollowCheckResult{ToAccount: to}
			r.ResultCode, r.ResultInfo = follow.CheckTarget(relations, from, to, true)
			if r.ResultCode == protocol.OK {
				r.FollowType = followType(relations[to])
			}
			resp.ResultItem[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

func followType(r store.Relation) int {
	switch {
	case r.Following && r.FollowedBy:
		return protocol.FollowTypeMutual
	case r.Following:
		return protocol.FollowTypeFollowing
	case r.FollowedBy:
		return protocol.FollowTypeFollowedBy
	}
	return protocol.FollowTypeNone
}
