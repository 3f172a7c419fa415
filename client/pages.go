package client

import (
	"context"
	"iter"

	"github.com/chatfollow/chatfollow/shared/protocol"
)

// Follows yields every item of the follow list req names (From_Account, FollowType), page by
// page from req.StartCursor, newest first; req.WantNum sets the page size. It stops at the
// first error, which it yields with a zero item.
func (c *Client) Follows(ctx context.Context, req protocol.FollowGetRequest) iter.Seq2[protocol.FollowGetItem, error] {
	return func(yield func(protocol.FollowGetItem, error) bool) {
		for {
			page, err := c.FollowGet(ctx, &req)
			if err != nil {
				yield(protocol.FollowGetItem{}, err)
				return
			}
			for _, item := range page.FollowItem {
				if !yield(item, nil) {
					return
				}
			}
			if page.NextCursor == "" {
				return
			}
			req.StartCursor = page.NextCursor
		}
	}
}

// Subscribers yields every subscriber of the official account req names, page by page from
// req.Next; req.Limit sets the page size. It stops at the first error, which it yields with a
// zero item.
func (c *Client) Subscribers(ctx context.Context, req protocol.GetSubscriberInfoRequest) iter.Seq2[protocol.GetSubscriberInfoItem, error] {
	return func(yield func(protocol.GetSubscriberInfoItem, error) bool) {
		for {
			page, err := c.GetSubscriberInfo(ctx, &req)
			if err != nil {
				yield(protocol.GetSubscriberInfoItem{}, err)
				return
			}
			for _, item := range page.SubscriberList {
				if !yield(item, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			req.Next = page.Next
		}
	}
}

// SubscribedOfficialAccounts yields every official account the account req names subscribes to,
// newest subscription first, page by page from req.Offset (0 when nil); req.Limit sets the page
// size. The service pages by offset (docs/wire.md section 4): each page's Next is the Offset of
// the following one and CompleteFlag 1 marks the last, so a subscription made or removed while
// iterating may make an item repeat or be missed. It stops at the first error, which it yields
// with a zero item.
func (c *Client) SubscribedOfficialAccounts(ctx context.Context, req protocol.GetSubscribedOfficialAccountListRequest) iter.Seq2[protocol.GetSubscribedOfficialAccountListItem, error] {
	return func(yield func(protocol.GetSubscribedOfficialAccountListItem, error) bool) {
		for {
			page, err := c.GetSubscribedOfficialAccountList(ctx, &req)
			if err != nil {
				yield(protocol.GetSubscribedOfficialAccountListItem{}, err)
				return
			}
			for _, item := range page.OfficialAccountInfoList {
				if !yield(item, nil) {
					return
				}
			}
			if page.CompleteFlag == 1 || len(page.OfficialAccountInfoList) == 0 {
				return // the last page (an empty page that is not marked last would loop forever)
			}
			req.Offset = new(page.Next)
		}
	}
}
