package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/chatfollowtest"
	"github.com/chatfollow/chatfollow/client"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// code is the ErrorCode of a *client.Error, or 0 for nil.
func code(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var apiErr *client.Error
	require.True(t, errors.As(err, &apiErr), "%v is a *client.Error", err)
	return apiErr.ErrorCode
}

// TestConformance runs docs/wire.md's cases through the client against the in-process server:
// one call that succeeds and one the service refuses, per operation.
func TestConformance(t *testing.T) {
	srv := chatfollowtest.NewServer(t)
	c, err := client.New(srv.Config)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"ann", "bob", "cat"}})
	require.NoError(t, err)

	t.Run("follow", func(t *testing.T) {
		add, err := c.FollowAdd(ctx, &protocol.FollowAddRequest{FromAccount: new("ann"),
			FollowItem: []protocol.FollowAddItem{{ToAccount: new("bob")}, {ToAccount: new("ann")}, {ToAccount: new("nobody")}}})
		require.NoError(t, err)
		require.Len(t, add.ResultItem, 3)
		assert.Equal(t, []protocol.Code{0, 30001, 30003}, []protocol.Code{add.ResultItem[0].ResultCode, add.ResultItem[1].ResultCode, add.ResultItem[2].ResultCode})
		_, err = c.FollowAdd(ctx, &protocol.FollowAddRequest{FromAccount: new("nobody"), FollowItem: []protocol.FollowAddItem{{ToAccount: new("bob")}}})
		assert.Equal(t, 30003, code(t, err), "From_Account not imported")

		check, err := c.FollowCheck(ctx, &protocol.FollowCheckRequest{FromAccount: new("bob"), ToAccount: []string{"ann", "cat"}})
		require.NoError(t, err)
		assert.Equal(t, 1, check.ResultItem[0].FollowType, "ann follows bob only")
		assert.Equal(t, 0, check.ResultItem[1].FollowType)
		_, err = c.FollowCheck(ctx, &protocol.FollowCheckRequest{FromAccount: new("bob")})
		assert.Equal(t, 30001, code(t, err), "empty target list")

		info, err := c.FollowGetInfo(ctx, &protocol.FollowGetInfoRequest{FromAccount: new("ann"), ToAccount: []string{"bob"}})
		require.NoError(t, err)
		assert.Equal(t, int64(1), info.FollowInfo[0].FollowerCount)
		_, err = c.FollowGetInfo(ctx, &protocol.FollowGetInfoRequest{FromAccount: new("ann"), ToAccount: make([]string, 21)})
		assert.Equal(t, 30001, code(t, err), "21 targets")

		page, err := c.FollowGet(ctx, &protocol.FollowGetRequest{FromAccount: new("bob"), FollowType: new(protocol.FollowListFollowers)})
		require.NoError(t, err)
		require.Len(t, page.FollowItem, 1)
		assert.Equal(t, "ann", page.FollowItem[0].ToAccount)
		assert.Empty(t, page.NextCursor)
		_, err = c.FollowGet(ctx, &protocol.FollowGetRequest{FromAccount: new("bob"), FollowType: new(4)})
		assert.Equal(t, 30001, code(t, err), "FollowType 4")
		_, err = c.FollowGet(ctx, &protocol.FollowGetRequest{FromAccount: new("bob"), FollowType: new(1), StartCursor: "forged"})
		assert.Equal(t, 30001, code(t, err), "a cursor the server did not issue")

		del, err := c.FollowDelete(ctx, &protocol.FollowDeleteRequest{FromAccount: new("ann"), ToAccount: []string{"bob", "cat"}})
		require.NoError(t, err)
		assert.Equal(t, protocol.Code(0), del.ResultItem[1].ResultCode, "unfollowing someone not followed")
		_, err = c.FollowDelete(ctx, &protocol.FollowDeleteRequest{FromAccount: new("ann")})
		assert.Equal(t, 30001, code(t, err))
	})

	t.Run("accounts", func(t *testing.T) {
		_, err := c.AccountImport(ctx, &protocol.AccountImportRequest{UserID: new("dan"), Nick: new("Dan")})
		require.NoError(t, err)
		_, err = c.AccountImport(ctx, &protocol.AccountImportRequest{UserID: new("")})
		assert.Equal(t, 70402, code(t, err), "empty UserID")

		imp, err := c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"eve", ""}})
		require.NoError(t, err)
		assert.Equal(t, []string{""}, imp.FailAccounts)
		_, err = c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"x"}, AccountList: []protocol.MultiAccountImportItem{{UserID: new("y")}}})
		assert.Equal(t, 70402, code(t, err), "Accounts and AccountList together")

		chk, err := c.AccountCheck(ctx, &protocol.AccountCheckRequest{CheckItem: []protocol.UserIDItem{{UserID: new("dan")}, {UserID: new("zed")}}})
		require.NoError(t, err)
		assert.Equal(t, "Imported", chk.ResultItem[0].AccountStatus)
		assert.Equal(t, "NotImported", chk.ResultItem[1].AccountStatus)
		_, err = c.AccountCheck(ctx, &protocol.AccountCheckRequest{CheckItem: make([]protocol.UserIDItem, 101)})
		assert.Equal(t, 70402, code(t, err), "101 items")

		del, err := c.AccountDelete(ctx, &protocol.AccountDeleteRequest{DeleteItem: []protocol.UserIDItem{{UserID: new("dan")}, {UserID: new("zed")}}})
		require.NoError(t, err)
		assert.Equal(t, protocol.Code(0), del.ResultItem[0].ResultCode)
		assert.Equal(t, protocol.Code(70107), del.ResultItem[1].ResultCode)
		_, err = c.AccountDelete(ctx, &protocol.AccountDeleteRequest{})
		assert.Equal(t, 70402, code(t, err), "no DeleteItem")
	})

	t.Run("official accounts", func(t *testing.T) {
		oa := "@TOA#_news"
		created, err := c.CreateOfficialAccount(ctx, &protocol.CreateOfficialAccountRequest{OwnerAccount: new("ann"), OfficialAccountUserID: new(oa),
			OfficialAccountFields: protocol.OfficialAccountFields{Name: new("News")}})
		require.NoError(t, err)
		assert.Equal(t, oa, created.OfficialAccountUserID)
		_, err = c.CreateOfficialAccount(ctx, &protocol.CreateOfficialAccountRequest{OwnerAccount: new("ann"), OfficialAccountUserID: new(oa),
			OfficialAccountFields: protocol.OfficialAccountFields{Name: new("News")}})
		assert.Equal(t, 130008, code(t, err), "ID in use")

		_, err = c.ModifyOfficialAccountBaseInfo(ctx, &protocol.ModifyOfficialAccountBaseInfoRequest{OfficialAccount: new(oa),
			OfficialAccountFields: protocol.OfficialAccountFields{Introduction: new("daily")}})
		require.NoError(t, err)
		_, err = c.ModifyOfficialAccountBaseInfo(ctx, &protocol.ModifyOfficialAccountBaseInfoRequest{OfficialAccount: new("@TOA#_none"),
			OfficialAccountFields: protocol.OfficialAccountFields{Introduction: new("x")}})
		assert.Equal(t, 130004, code(t, err), "unknown official account")

		got, err := c.GetOfficialAccountInfo(ctx, &protocol.GetOfficialAccountInfoRequest{OfficialAccountIDList: []protocol.OfficialAccountIDItem{{OfficialAccount: new(oa)}, {OfficialAccount: new("@TOA#_none")}}})
		require.NoError(t, err)
		require.Len(t, got.OfficialAccountInfoList, 2)
		assert.Equal(t, protocol.Code(130004), got.OfficialAccountInfoList[1].ResultCode)

		add, err := c.AddSubscriber(ctx, &protocol.AddSubscriberRequest{OfficialAccount: new(oa), SubscriberList: []protocol.SubscriberItem{{SubscriberAccount: new("bob")}, {SubscriberAccount: new("cat")}}})
		require.NoError(t, err)
		assert.Len(t, add.SubscriberList, 2)
		_, err = c.AddSubscriber(ctx, &protocol.AddSubscriberRequest{OfficialAccount: new("bad id")})
		assert.NotZero(t, code(t, err))

		_, err = c.ModifySubscriberInfo(ctx, &protocol.ModifySubscriberInfoRequest{OfficialAccount: new(oa), SubscriberAccount: new("bob"), CustomString: new("vip")})
		require.NoError(t, err)

		var subs []string
		for s, err := range c.Subscribers(ctx, protocol.GetSubscriberInfoRequest{OfficialAccount: new(oa), Limit: new(int64(1))}) {
			require.NoError(t, err)
			subs = append(subs, s.SubscriberAccount)
		}
		assert.ElementsMatch(t, []string{"bob", "cat"}, subs, "two pages of one")

		del, err := c.DeleteSubscriber(ctx, &protocol.DeleteSubscriberRequest{OfficialAccount: new(oa), SubscriberToDelAccount: []string{"cat", "eve"}})
		require.NoError(t, err)
		assert.Len(t, del.SubscriberList, 2)

		_, err = c.DestroyOfficialAccount(ctx, &protocol.DestroyOfficialAccountRequest{OfficialAccount: new(oa)})
		require.NoError(t, err)
		_, err = c.DestroyOfficialAccount(ctx, &protocol.DestroyOfficialAccountRequest{OfficialAccount: new(oa)})
		assert.Equal(t, 130004, code(t, err), "destroyed already")
	})

	t.Run("the shared checks", func(t *testing.T) {
		cfg := srv.Config
		cfg.SecretKey = "another key"
		other, err := client.New(cfg)
		require.NoError(t, err)
		_, err = other.FollowCheck(ctx, &protocol.FollowCheckRequest{FromAccount: new("ann"), ToAccount: []string{"bob"}})
		assert.Equal(t, 70009, code(t, err), "UserSig made with another key")
		cfg = srv.Config
		cfg.Identifier = "ann"
		notAdmin, err := client.New(cfg)
		require.NoError(t, err)
		_, err = notAdmin.FollowCheck(ctx, &protocol.FollowCheckRequest{FromAccount: new("ann"), ToAccount: []string{"bob"}})
		assert.Equal(t, 60010, code(t, err), "not an administrator")
	})
}

// TestSubscribedOfficialAccounts: the iterator pages get_subscribed_official_account_list by
// Offset and Next until CompleteFlag is 1, starts at the Offset it is given, stops when the
// caller does, and yields the service's refusal.
func TestSubscribedOfficialAccounts(t *testing.T) {
	srv := chatfollowtest.NewServer(t)
	c, err := client.New(srv.Config)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"ann", "bob"}})
	require.NoError(t, err)
	ids := []string{"@TOA#_a", "@TOA#_b", "@TOA#_c"}
	for _, id := range ids {
		_, err := c.CreateOfficialAccount(ctx, &protocol.CreateOfficialAccountRequest{OwnerAccount: new("ann"), OfficialAccountUserID: new(id),
			OfficialAccountFields: protocol.OfficialAccountFields{Name: new("Name of " + id)}})
		require.NoError(t, err)
		_, err = c.AddSubscriber(ctx, &protocol.AddSubscriberRequest{OfficialAccount: new(id), SubscriberList: []protocol.SubscriberItem{{SubscriberAccount: new("bob")}}})
		require.NoError(t, err)
	}

	page, err := c.GetSubscribedOfficialAccountList(ctx, &protocol.GetSubscribedOfficialAccountListRequest{SubscriberAccount: new("bob"), Limit: new(int64(2))})
	require.NoError(t, err)
	assert.Equal(t, 0, page.CompleteFlag)
	assert.Equal(t, int64(2), page.Next, "Next is the Offset of the next page")
	assert.Equal(t, int64(3), page.TotalCount)

	collect := func(req protocol.GetSubscribedOfficialAccountListRequest, stopAfter int) ([]string, error) {
		var got []string
		for item, err := range c.SubscribedOfficialAccounts(ctx, req) {
			if err != nil {
				return got, err
			}
			require.NotNil(t, item.Name, item.OfficialAccount)
			assert.Equal(t, "Name of "+item.OfficialAccount, *item.Name)
			assert.NotNil(t, item.SelfInfo.SubscribeTime, "the subscription's fields are in SelfInfo")
			got = append(got, item.OfficialAccount)
			if len(got) == stopAfter {
				break
			}
		}
		return got, nil
	}
	for _, limit := range []int64{1, 2, 3, 200} {
		got, err := collect(protocol.GetSubscribedOfficialAccountListRequest{SubscriberAccount: new("bob"), Limit: new(limit)}, 0)
		require.NoError(t, err)
		assert.ElementsMatch(t, ids, got, "pages of %d", limit)
	}
	all, err := collect(protocol.GetSubscribedOfficialAccountListRequest{SubscriberAccount: new("bob")}, 0)
	require.NoError(t, err)
	fromOne, err := collect(protocol.GetSubscribedOfficialAccountListRequest{SubscriberAccount: new("bob"), Limit: new(int64(1)), Offset: new(int64(1))}, 0)
	require.NoError(t, err)
	assert.Equal(t, all[1:], fromOne, "from Offset 1")
	first, err := collect(protocol.GetSubscribedOfficialAccountListRequest{SubscriberAccount: new("bob"), Limit: new(int64(1))}, 1)
	require.NoError(t, err)
	assert.Equal(t, all[:1], first, "the caller stops after one")
	none, err := collect(protocol.GetSubscribedOfficialAccountListRequest{SubscriberAccount: new("ann")}, 0)
	require.NoError(t, err)
	assert.Empty(t, none, "ann subscribes to nothing")

	got, err := collect(protocol.GetSubscribedOfficialAccountListRequest{SubscriberAccount: new("nobody")}, 0)
	assert.Empty(t, got)
	assert.Equal(t, 6017, code(t, err), "Subscriber_Account not imported")
	_, err = collect(protocol.GetSubscribedOfficialAccountListRequest{SubscriberAccount: new("bob"), Offset: new(int64(-1))}, 0)
	assert.Equal(t, 6017, code(t, err), "negative Offset")
}
