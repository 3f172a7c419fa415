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

	"github.com/chatfollow/chatfollow/shared/cursor"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/follow"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Page sizes.
const (
	DefaultWant = 100
	MaxWant     = 1000
)

// Request is the body of follow_get.
type Request struct {
	FromAccount *string `json:"From_Account"`
	FollowType  *int    `json:"FollowType"`
	StartCursor string  `json:"StartCursor"`
	WantNum     int     `json:"WantNum"`
}

// Response is one page; NextCursor is "" on the last page.
type Response struct {
	FollowItem []Item `json:"FollowItem"`
	NextCursor string `json:"NextCursor"`
}

// Item is one account of the list.
type Item struct {
	ToAccount       string    `json:"To_Account"`
	FollowTime      int64     `json:"FollowTime"`
	ProfileItem     []Profile `json:"ProfileItem"`
	ProfileSequence int64     `json:"profile_sequence"`
}

// Profile is one imported profile field of the account.
type Profile struct {
	Tag   string `json:"Tag"`
	Value string `json:"Value"`
}

// Profile tags of the imported Nick and FaceUrl.
const (
	TagNick  = "Tag_Profile_IM_Nick"
	TagImage = "Tag_Profile_IM_Image"
)

// Operation returns follow_get bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	h := handler{deps: deps, cursors: cursor.New(deps.Config.SecretKey)}
	return rest.Operation{Service: envelope.Follow, Command: "follow_get", Rate: 200, Serve: h.serve}
}

type handler struct {
	deps    rest.Deps
	cursors cursor.Codec
}

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req Request
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	from, err := userid.Required(envelope.Follow, "From_Account", req.FromAccount)
	if err != nil {
		return nil, err
	}
	if req.FollowType == nil {
		return nil, envelope.Errorf(envelope.CodeFollowParam, "FollowType is required: 1 followers, 2 following, 3 mutual")
	}
	kind := store.FollowKind(*req.FollowType)
	if kind != store.Followers && kind != store.Following && kind != store.Mutual {
		return nil, envelope.Errorf(envelope.CodeFollowParam, "FollowType must be 1 (followers), 2 (following) or 3 (mutual)")
	}
	want := req.WantNum
	if want < 0 || want > MaxWant {
		return nil, envelope.Errorf(envelope.CodeFollowParam, "WantNum must be 0 to %d", MaxWant)
	}
	if want == 0 {
		want = DefaultWant
	}
	scope := "follow_get/" + strconv.Itoa(int(kind)) + "/" + from
	var after store.Position
	if req.StartCursor != "" {
		if after.Time, after.Seq, err = h.cursors.Decode(scope, req.StartCursor); err != nil {
			return nil, envelope.Errorf(envelope.CodeFollowParam, "StartCursor was not issued for this From_Account and FollowType")
		}
	}
	var resp Response
	err = h.deps.Store.View(ctx, func(tx store.Tx) error {
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
		resp = Response{NextCursor: ""}
		if len(page) > want {
			page = page[:want]
			last := page[want-1].Position
			resp.NextCursor = h.cursors.Encode(scope, last.Time, last.Seq)
		}
		resp.FollowItem = make([]Item, len(page))
		for i, e := range page {
			resp.FollowItem[i] = item(e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func item(e store.FollowEntry) Item {
	it := Item{ToAccount: e.UserID, FollowTime: e.Position.Time, ProfileItem: []Profile{}, ProfileSequence: e.ProfileSeq}
	if e.Nick != "" {
		it.ProfileItem = append(it.ProfileItem, Profile{Tag: TagNick, Value: e.Nick})
	}
	if e.FaceURL != "" {
		it.ProfileItem = append(it.ProfileItem, Profile{Tag: TagImage, Value: e.FaceURL})
	}
	return it
}
