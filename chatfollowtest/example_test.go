package chatfollowtest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatfollow/chatfollow/chatfollowtest"
	"github.com/chatfollow/chatfollow/client"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// An app's test asserts that unfollowing sends Follow.CallbackAfterFollowDelete.
func TestUnfollowSendsTheWebhook(t *testing.T) {
	srv := chatfollowtest.NewServer(t)
	c, err := client.New(srv.Config)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"ann", "bob"}})
	require.NoError(t, err)
	_, err = c.FollowAdd(ctx, &protocol.FollowAddRequest{FromAccount: new("ann"), FollowItem: []protocol.FollowAddItem{{ToAccount: new("bob")}}})
	require.NoError(t, err)
	_, err = c.FollowDelete(ctx, &protocol.FollowDeleteRequest{FromAccount: new("ann"), ToAccount: []string{"bob"}})
	require.NoError(t, err)

	webhooks := srv.Webhooks(t)
	require.Len(t, webhooks, 2)
	assert.Equal(t, "Follow.CallbackAfterFollowAdd", webhooks[0].Command)
	assert.Equal(t, "Follow.CallbackAfterFollowDelete", webhooks[1].Command)
	assert.Regexp(t, `^\{"CallbackCommand":"Follow.CallbackAfterFollowDelete","From_Account":"ann","To_Account":\["bob"\],"EventTime":\d+\}$`, string(webhooks[1].Body))
}

// With WithCallbackURL the webhooks go to the app's own receiver, and Webhooks lists none.
func TestWithCallbackURL(t *testing.T) {
	app := chatfollowtest.NewServer(t) // any URL that answers: another fake's receivers
	srv := chatfollowtest.NewServer(t, chatfollowtest.WithCallbackURL(app.URL+"/callback"))
	c, err := client.New(srv.Config)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"ann", "bob"}})
	require.NoError(t, err)
	_, err = c.FollowAdd(ctx, &protocol.FollowAddRequest{FromAccount: new("ann"), FollowItem: []protocol.FollowAddItem{{ToAccount: new("bob")}}})
	require.NoError(t, err)
	assert.Empty(t, srv.Webhooks(t), "sent elsewhere")
	delivered := app.Webhooks(t)
	require.Len(t, delivered, 1, "the other server's receivers got it")
	assert.Equal(t, "Follow.CallbackAfterFollowAdd", delivered[0].Command)
}

func Example() {
	srv, err := chatfollowtest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	c, _ := client.New(srv.Config)
	ctx := context.Background()
	c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"ann", "bob"}})
	c.FollowAdd(ctx, &protocol.FollowAddRequest{FromAccount: new("ann"), FollowItem: []protocol.FollowAddItem{{ToAccount: new("bob")}}})
	webhooks, err := srv.Delivered()
	if err != nil {
		panic(err)
	}
	for _, w := range webhooks {
		fmt.Println(w.Command)
	}
	// Output: Follow.CallbackAfterFollowAdd
}
