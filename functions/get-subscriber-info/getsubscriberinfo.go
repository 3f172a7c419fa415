// Package getsubscriberinfo is v4/official_account_open_http_svc/get_subscriber_info: the
// subscribers of an official account, one page at a time, newest subscription first.
//
// Official_Account is required (6017) and must name an existing official account (130007,
// 130004). Limit is 1 to 200 entries per page; absent or 0 lists every subscriber in one answer;
// anything else is 6017. Next is "" (or absent) for the first page and the Next of the previous
// answer after that; the answer's Next is "" on the last page. Paging is keyset paging on the
// subscription's sequence number, newest first as in follow_get: subscriptions made after the
// first page belong before it, so subscriptions added or removed between pages never make an
// entry repeat or go missing, and an account that unsubscribes and subscribes again meanwhile is
// not listed twice. Next is opaque and tamper-evident (package cursor): one that was altered or
// issued for another official account is 6017. SubscriberNum is the count at the time of the
// answer; SubscribeTime is Unix seconds. Each entry also carries Tencent's LastSendMsgTime,
// always 0 here since no messages are sent.
//
// Internal to this module: not a supported API for other modules.
package getsubscriberinfo

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operation is get_subscriber_info.
var Operation = official.HandleOne(protocol.CommandGetSubscriberInfo,
	func(r *protocol.GetSubscriberInfoRequest) *string { return r.OfficialAccount }, getSubscriberInfo)

func getSubscriberInfo(ctx context.Context, deps rest.Deps, call *rest.Call, oaID string, req *protocol.GetSubscriberInfoRequest) (*protocol.GetSubscriberInfoResponse, error) {
	limit, err := official.Limit(req.Limit, 0)
	if err != nil {
		return nil, err
	}
	scope := "get_subscriber_info/" + oaID
	var after int64
	if req.Next != "" {
		if after, _, err = deps.Cursors.Decode(scope, req.Next); err != nil {
			return nil, envelope.Errorf(protocol.CodeOfficialParam, "Next was not issued for this Official_Account")
		}
	}
	var resp protocol.GetSubscriberInfoResponse
	err = deps.Store.View(ctx, func(tx store.Tx) error {
		oa, err := official.Get(ctx, tx, oaID)
		if err != nil {
			return err
		}
		fetch := 0
		if limit > 0 {
			fetch = limit + 1
		}
		page, err := tx.SubscriberPage(ctx, oaID, after, fetch)
		if err != nil {
			return err
		}
		resp = protocol.GetSubscriberInfoResponse{SubscriberNum: oa.Subscribers}
		if limit > 0 && len(page) > limit {
			page = page[:limit]
			resp.Next = deps.Cursors.Encode(scope, page[limit-1].Seq, 0)
		}
		resp.SubscriberList = make([]protocol.GetSubscriberInfoItem, len(page))
		for i, s := range page {
			resp.SubscriberList[i] = protocol.GetSubscriberInfoItem{
				SubscriberAccount: s.Subscriber, SubscribeTime: s.SubscribedAt.Unix(),
				CustomString: s.CustomString, MsgFlag: s.MsgFlag,
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}
