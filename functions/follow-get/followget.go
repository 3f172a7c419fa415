// Package followget is v4/follow/follow_get: one page of an account's followers (FollowType 1),
// following (2) or mutual follows (3), newest first.
//
// Paging is keyset paging on (follow time, follow sequence), so follows added or removed between
// pages never make a row repeat or go missing. Cursors are opaque and tamper-evident (package
// cursor); one issued for another account or list is 30001. WantNum absent or 0 means 100.
//
// Internal to this module: not a supported API for other modules.
package followget

import (
	"context"
	"strconv"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/follow"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Page sizes.
const (
	DefaultWant = 100
	MaxWant     = 1000
)

// Operation is follow_get.
var Operation = follow.Handle(protocol.CommandFollowGet, followGet)

func followGet(ctx context.Context, deps rest.Deps, call *rest.Call, req *protocol.FollowGetRequest) (*protocol.FollowGetResponse, error) {
	from, err := userid.Required(envelope.Follow, "From_Account", req.FromAccount)
	if err != nil {
		return nil, err
	}
	if req.FollowType == nil {
		return nil, envelope.Errorf(protocol.CodeFollowParam, "FollowType is required: 1 followers, 2 following, 3 mutual")
	}
	kind := store.FollowKind(*req.FollowType)
	if kind != store.Followers && kind != store.Following && kind != store.Mutual {
		return nil, envelope.Errorf(protocol.CodeFollowParam, "FollowType must be 1 (followers), 2 (following) or 3 (mutual)")
	}
	want := req.WantNum
	if want < 0 || want > MaxWant {
		return nil, envelope.Errorf(protocol.CodeFollowParam, "WantNum must be 0 to %d", MaxWant)
	}
	if want == 0 {
		want = DefaultWant
	}
	scope := "follow_get/" + strconv.Itoa(int(kind)) + "/" + from
	var after store.Position
	if req.StartCursor != "" {
		if after.Time, after.Seq, err = deps.Cursors.Decode(scope, req.StartCursor); err != nil {
			return nil, envelope.Errorf(protocol.CodeFollowParam, "StartCursor was not issued for this From_Account and FollowType")
		}
	}
	var resp protocol.FollowGetResponse
	err = deps.Store.View(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, []string{from})
		if err != nil {
			return err
		}
		if _, err := follow.RequireFrom(accounts, from); err != nil {
			return err
		}
		page, err := tx.FollowPage(ctx, store.PageQuery{Owner: from, Kind: kind, After: after, Limit: want + 1})
		if err != nil {
			return err
		}
		resp = protocol.FollowGetResponse{NextCursor: ""}
		if len(page) > want {
			page = page[:want]
			last := page[want-1].Position
			resp.NextCursor = deps.Cursors.Encode(scope, last.Time, last.Seq)
		}
		resp.FollowItem = make([]protocol.FollowGetItem, len(page))
		for i, e := range page {
			resp.FollowItem[i] = item(e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

func item(e store.FollowEntry) protocol.FollowGetItem {
	it := protocol.FollowGetItem{ToAccount: e.UserID, FollowTime: e.Position.Time, ProfileItem: []protocol.ProfileItem{}, ProfileSequence: e.ProfileSeq}
	if e.Nick != "" {
		it.ProfileItem = append(it.ProfileItem, protocol.ProfileItem{Tag: protocol.TagProfileNick, Value: e.Nick})
	}
	if e.FaceURL != "" {
		it.ProfileItem = append(it.ProfileItem, protocol.ProfileItem{Tag: protocol.TagProfileImage, Value: e.FaceURL})
	}
	return it
}
