// Package getsubscribedofficialaccountlist is
// v4/official_account_open_http_svc/get_subscribed_official_account_list: the official accounts an
// account subscribes to, one page at a time, newest subscription first.
//
// Subscriber_Account is required and must be imported (6017). Limit is 1 to 200 entries per page,
// 200 when absent or 0, 6017 otherwise. Next is "" (or absent) for the first page and the Next of
// the previous answer after that; CompleteFlag is 1 and Next "" on the last page, else 0 and the
// cursor of the next page. Paging is keyset paging on the subscription's sequence number, newest
// first as in follow_get, so it never repeats nor misses an entry while subscriptions change
// between pages; Next is opaque and tamper-evident (one altered or
// issued for another account is 6017). TotalCount is how many official accounts the account
// subscribes to. Tencent's Offset is not supported (it is ignored).
//
// Each item carries Official_Account, the official account's fields selected by
// ResponseFilter.OfficialAccountBaseInfoFilter and, beside them as wire.md has it, the
// subscription's SubscribeTime, MsgFlag and CustomString selected by ResponseFilter.SelfInfoFilter.
// Both the official account and the subscription have a CustomString: when SelfInfoFilter selects
// the subscription's, the item's CustomString is the subscription's (wire.md lists it with the
// item); the official account's is then given only when the self filter leaves CustomString out.
// The selected subscription fields are also given in a SelfInfo object, as Tencent's SDKs read
// them. An absent filter selects every field; an unknown name is 6017.
package getsubscribedofficialaccountlist

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/cursor"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// DefaultLimit is the page size when Limit is absent.
const DefaultLimit = official.MaxLimit

// Operation returns get_subscribed_official_account_list bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	h := handler{deps: deps, cursors: cursor.New(deps.Config.SecretKey)}
	return rest.Operation{Service: envelope.OfficialAccount, Command: "get_subscribed_official_account_list", Rate: 200, Serve: h.serve}
}

type handler struct {
	deps    rest.Deps
	cursors cursor.Codec
}

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.GetSubscribedOfficialAccountListRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	subscriber, err := userid.Required(envelope.OfficialAccount, "Subscriber_Account", req.SubscriberAccount)
	if err != nil {
		return nil, err
	}
	limit, err := official.Limit(req.Limit, DefaultLimit)
	if err != nil {
		return nil, err
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
	scope := "get_subscribed_official_account_list/" + subscriber
	var after int64
	if req.Next != "" {
		if after, _, err = h.cursors.Decode(scope, req.Next); err != nil {
			return nil, envelope.Errorf(protocol.CodeOfficialParam, "Next was not issued for this Subscriber_Account")
		}
	}
	var resp protocol.GetSubscribedOfficialAccountListResponse
	err = h.deps.Store.View(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, []string{subscriber})
		if err != nil {
			return err
		}
		if _, ok := accounts[subscriber]; !ok {
			return envelope.Errorf(protocol.CodeOfficialParam, "Subscriber_Account %s is not imported", subscriber)
		}
		total, err := tx.SubscribedCount(ctx, subscriber)
		if err != nil {
			return err
		}
		page, err := tx.SubscribedPage(ctx, subscriber, after, limit+1)
		if err != nil {
			return err
		}
		resp = protocol.GetSubscribedOfficialAccountListResponse{TotalCount: total, CompleteFlag: 1}
		if len(page) > limit {
			page = page[:limit]
			resp.CompleteFlag = 0
			resp.Next = h.cursors.Encode(scope, page[limit-1].Seq, 0)
		}
		resp.OfficialAccountInfoList = make([]protocol.GetSubscribedOfficialAccountListItem, len(page))
		for i, e := range page {
			info := official.NewSelfInfo(e.Subscription, self)
			item := protocol.GetSubscribedOfficialAccountListItem{
				OfficialAccount:         e.Account.ID,
				OfficialAccountBaseInfo: official.NewBaseInfo(e.Account, base),
				SubscribeTime:           info.SubscribeTime,
				MsgFlag:                 info.MsgFlag,
				SelfInfo:                info,
			}
			if info.CustomString != nil {
				item.OfficialAccountBaseInfo.CustomString = info.CustomString
			}
			resp.OfficialAccountInfoList[i] = item
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
