package client

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/protocol"
)

// Envelope is the answer of the calls whose answer has no members of their own.
type Envelope struct {
	ActionStatus string `json:"ActionStatus"`
	ErrorCode    int    `json:"ErrorCode"`
	ErrorInfo    string `json:"ErrorInfo"`
}

// FollowAdd makes From_Account follow up to 20 accounts. Following again is a no-op with ResultCode 0, so it is retried.
func (c *Client) FollowAdd(ctx context.Context, req *protocol.FollowAddRequest) (*protocol.FollowAddResponse, error) {
	return call[protocol.FollowAddResponse](ctx, c, endpoint{protocol.ServiceFollow, protocol.CommandFollowAdd, true}, req)
}

// FollowDelete makes From_Account unfollow up to 20 accounts.
func (c *Client) FollowDelete(ctx context.Context, req *protocol.FollowDeleteRequest) (*protocol.FollowDeleteResponse, error) {
	return call[protocol.FollowDeleteResponse](ctx, c, endpoint{protocol.ServiceFollow, protocol.CommandFollowDelete, true}, req)
}

// FollowCheck tells the relation between From_Account and up to 100 accounts.
func (c *Client) FollowCheck(ctx context.Context, req *protocol.FollowCheckRequest) (*protocol.FollowCheckResponse, error) {
	return call[protocol.FollowCheckResponse](ctx, c, endpoint{protocol.ServiceFollow, protocol.CommandFollowCheck, true}, req)
}

// FollowGet reads one page of a follow list; Follows iterates over all of them.
func (c *Client) FollowGet(ctx context.Context, req *protocol.FollowGetRequest) (*protocol.FollowGetResponse, error) {
	return call[protocol.FollowGetResponse](ctx, c, endpoint{protocol.ServiceFollow, protocol.CommandFollowGet, true}, req)
}

// FollowGetInfo reads the follower, following and mutual counts of up to 20 accounts.
func (c *Client) FollowGetInfo(ctx context.Context, req *protocol.FollowGetInfoRequest) (*protocol.FollowGetInfoResponse, error) {
	return call[protocol.FollowGetInfoResponse](ctx, c, endpoint{protocol.ServiceFollow, protocol.CommandFollowGetInfo, true}, req)
}

// AccountImport imports one account, or updates the profile fields it sets.
func (c *Client) AccountImport(ctx context.Context, req *protocol.AccountImportRequest) (*Envelope, error) {
	return call[Envelope](ctx, c, endpoint{protocol.ServiceAccount, protocol.CommandAccountImport, true}, req)
}

// MultiAccountImport imports up to 100 accounts.
func (c *Client) MultiAccountImport(ctx context.Context, req *protocol.MultiAccountImportRequest) (*protocol.MultiAccountImportResponse, error) {
	return call[protocol.MultiAccountImportResponse](ctx, c, endpoint{protocol.ServiceAccount, protocol.CommandMultiAccountImport, true}, req)
}

// AccountCheck tells which of up to 100 accounts are imported.
func (c *Client) AccountCheck(ctx context.Context, req *protocol.AccountCheckRequest) (*protocol.AccountCheckResponse, error) {
	return call[protocol.AccountCheckResponse](ctx, c, endpoint{protocol.ServiceAccount, protocol.CommandAccountCheck, true}, req)
}

// AccountDelete deletes up to 100 accounts with their follows and subscriptions. Not retried unless RetryPolicy.NonIdempotent: a repeat answers 70107 for accounts already deleted.
func (c *Client) AccountDelete(ctx context.Context, req *protocol.AccountDeleteRequest) (*protocol.AccountDeleteResponse, error) {
	return call[protocol.AccountDeleteResponse](ctx, c, endpoint{protocol.ServiceAccount, protocol.CommandAccountDelete, false}, req)
}

// CreateOfficialAccount creates an official account. Not retried unless RetryPolicy.NonIdempotent: a repeat may create a second one.
func (c *Client) CreateOfficialAccount(ctx context.Context, req *protocol.CreateOfficialAccountRequest) (*protocol.CreateOfficialAccountResponse, error) {
	return call[protocol.CreateOfficialAccountResponse](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandCreateOfficialAccount, false}, req)
}

// DestroyOfficialAccount destroys an official account and its subscriptions. Not retried unless RetryPolicy.NonIdempotent: a repeat answers 130004.
func (c *Client) DestroyOfficialAccount(ctx context.Context, req *protocol.DestroyOfficialAccountRequest) (*Envelope, error) {
	return call[Envelope](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandDestroyOfficialAccount, false}, req)
}

// ModifyOfficialAccountBaseInfo changes the fields of an official account that the request sets.
func (c *Client) ModifyOfficialAccountBaseInfo(ctx context.Context, req *protocol.ModifyOfficialAccountBaseInfoRequest) (*Envelope, error) {
	return call[Envelope](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandModifyOfficialAccountBaseInfo, true}, req)
}

// GetOfficialAccountInfo reads up to 50 official accounts.
func (c *Client) GetOfficialAccountInfo(ctx context.Context, req *protocol.GetOfficialAccountInfoRequest) (*protocol.GetOfficialAccountInfoResponse, error) {
	return call[protocol.GetOfficialAccountInfoResponse](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandGetOfficialAccountInfo, true}, req)
}

// AddSubscriber subscribes up to 100 accounts to an official account.
func (c *Client) AddSubscriber(ctx context.Context, req *protocol.AddSubscriberRequest) (*protocol.AddSubscriberResponse, error) {
	return call[protocol.AddSubscriberResponse](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandAddSubscriber, true}, req)
}

// DeleteSubscriber unsubscribes up to 100 accounts from an official account.
func (c *Client) DeleteSubscriber(ctx context.Context, req *protocol.DeleteSubscriberRequest) (*protocol.DeleteSubscriberResponse, error) {
	return call[protocol.DeleteSubscriberResponse](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandDeleteSubscriber, true}, req)
}

// ModifySubscriberInfo sets the CustomString of a subscription.
func (c *Client) ModifySubscriberInfo(ctx context.Context, req *protocol.ModifySubscriberInfoRequest) (*Envelope, error) {
	return call[Envelope](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandModifySubscriberInfo, true}, req)
}

// GetSubscriberInfo reads one page of an official account's subscribers; Subscribers iterates over all of them.
func (c *Client) GetSubscriberInfo(ctx context.Context, req *protocol.GetSubscriberInfoRequest) (*protocol.GetSubscriberInfoResponse, error) {
	return call[protocol.GetSubscriberInfoResponse](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandGetSubscriberInfo, true}, req)
}

// GetSubscribedOfficialAccountList reads one page of the official accounts an account subscribes to; SubscribedOfficialAccounts iterates over all of them.
func (c *Client) GetSubscribedOfficialAccountList(ctx context.Context, req *protocol.GetSubscribedOfficialAccountListRequest) (*protocol.GetSubscribedOfficialAccountListResponse, error) {
	return call[protocol.GetSubscribedOfficialAccountListResponse](ctx, c, endpoint{protocol.ServiceOfficialAccount, protocol.CommandGetSubscribedOfficialAccountList, true}, req)
}
