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
package getsubscriberinfo

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/cursor"
	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Operation returns get_subscriber_info bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	h := handler{deps: deps, cursors: cursor.New(deps.Config.SecretKey)}
	return rest.Operation{Service: envelope.OfficialAccount, Command: "get_subscriber_info", Rate: 200, Serve: h.serve}
}

type handler struct {
	deps    rest.Deps
	cursors cursor.Codec
}

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.GetSubscriberInfoRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	oaID, err := official.RequiredID("Official_Account", req.OfficialAccount)
	if err != nil {
		return nil, err
	}
	limit, err := official.Limit(req.Limit, 0)
	if err != nil {
		return nil, err
	}
	scope := "get_subscriber_info/" + oaID
	var after int64
	if req.Next != "" {
		if after, _, err = h.cursors.Decode(scope, req.Next); err != nil {
			return nil, envelope.Errorf(protocol.CodeOfficialParam, "Next was not issued for this Official_Account")
		}
	}
	var resp protocol.GetSubscriberInfoResponse
	err = h.deps.Store.View(ctx, func(tx store.Tx) error {
		found, err := tx.OfficialAccounts(ctx, []string{oaID})
		if err != nil {
			return err
		}
		oa, ok := found[oaID]
		if !ok {
			return official.NotFound(oaID)
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
			resp.Next = h.cursors.Encode(scope, page[limit-1].Seq, 0)
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
	return resp, nil
}
