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
