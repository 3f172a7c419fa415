// Package getsubscribedofficialaccountlist is
// v4/official_account_open_http_svc/get_subscribed_official_account_list: the official accounts an
// account subscribes to, one page at a time, newest subscription first (docs/wire.md sections 4
// and 7).
//
// Subscriber_Account is required and must be imported (6017). Limit is 1 to 200 entries per page,
// 200 when absent or 0, 6017 otherwise. Offset (an integer, default 0) is how many of the
// account's subscriptions to skip, as Tencent documents it; a negative Offset is 6017 and one past
// the end gives an empty list with CompleteFlag 1. Next is the Offset of the next page: 0 with
// CompleteFlag 1 on the last page, else Offset+Limit with CompleteFlag 0. The order is
// subscription time, newest first, ties by subscription order. Offset paging may skip or repeat
// an item when subscriptions change between pages; that is Tencent's contract for this API.
// TotalCount is how many official accounts the account subscribes to.
//
// Each item carries Official_Account and the official account's own base-info fields at the top
// level, selected by ResponseFilter.OfficialAccountBaseInfoFilter (the top-level CustomString is
// the official account's), and the subscription's own SubscribeTime and CustomString in SelfInfo,
// selected by ResponseFilter.SelfInfoFilter; SelfInfo is always present, possibly {}. An absent
// filter selects every field; an unknown name is 6017.
//
// Internal to this module: not a supported API for other modules.
package getsubscribedofficialaccountlist

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// DefaultLimit is the page size when Limit is absent.
const DefaultLimit = official.MaxLimit

// Operation is get_subscribed_official_account_list.
var Operation = official.Handle(protocol.CommandGetSubscribedOfficialAccountList, getSubscribedOfficialAccountList)

func getSubscribedOfficialAccountList(ctx context.Context, deps rest.Deps, call *rest.Call, req *protocol.GetSubscribedOfficialAccountListRequest) (*protocol.GetSubscribedOfficialAccountListResponse, error) {
	subscriber, err := userid.Required(envelope.OfficialAccount, "Subscriber_Account", req.SubscriberAccount)
	if err != nil {
		return nil, err
	}
	limit, err := official.Limit(req.Limit, DefaultLimit)
	if err != nil {
		return nil, err
	}
	var offset int64
	if req.Offset != nil {
		if offset = *req.Offset; offset < 0 {
			return nil, envelope.Errorf(protocol.CodeOfficialParam, "Offset must not be negative")
		}
	}
	var filter protocol.ResponseFilter
	if req.ResponseFilter != nil {
		filter = *req.ResponseFilter
	}
	base, err := official.Select("OfficialAccountBaseInfoFilter", filter.OfficialAccountBaseInfoFilter, official.BaseFields)
	if err != nil {
		return nil, err
	}
	self, err := official.Select("SelfInfoFilter", filter.SelfInfoFilter, official.SelfFields)
	if err != nil {
		return nil, err
	}
	var resp protocol.GetSubscribedOfficialAccountListResponse
	err = deps.Store.View(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, []string{subscriber})
		if err != nil {
			return err
		}
		if _, ok := accounts[subscriber]; !ok {
			return envelope.Errorf(protocol.CodeOfficialParam, "Subscriber_Account %s is not imported", envelope.Echo(subscriber))
		}
		total, err := tx.SubscribedCount(ctx, subscriber)
		if err != nil {
			return err
		}
		resp = protocol.GetSubscribedOfficialAccountListResponse{TotalCount: total, CompleteFlag: 1, OfficialAccountInfoList: []protocol.GetSubscribedOfficialAccountListItem{}}
		if offset >= total {
			return nil // past the end: an empty last page
		}
		page, err := tx.SubscribedPage(ctx, subscriber, int(offset), limit)
		if err != nil {
			return err
		}
		// Next is where this page ends, unless it reached the end of the list.
		if next := offset + int64(len(page)); next < total {
			resp.CompleteFlag, resp.Next = 0, next
		}
		resp.OfficialAccountInfoList = make([]protocol.GetSubscribedOfficialAccountListItem, len(page))
		for i, e := range page {
			resp.OfficialAccountInfoList[i] = protocol.GetSubscribedOfficialAccountListItem{
				OfficialAccount:         e.Account.ID,
				OfficialAccountBaseInfo: official.NewBaseInfo(e.Account, base),
				SelfInfo:                official.NewSelfInfo(e.Subscription, self),
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}
