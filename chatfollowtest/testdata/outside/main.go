// Command outside is an app outside the chatfollow module that uses only client and
// chatfollowtest: it starts the fake, imports accounts, follows, pages through the followers,
// deletes an account and prints the webhooks the fake delivered.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/chatfollow/chatfollow/chatfollowtest"
	"github.com/chatfollow/chatfollow/client"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

func main() {
	srv := must(chatfollowtest.Start())
	defer srv.Close()
	c, ctx := must(client.New(srv.Config)), context.Background()
	must(c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"star", "ann", "bob"}}))
	for _, fan := range []string{"ann", "bob"} {
		must(c.FollowAdd(ctx, &protocol.FollowAddRequest{FromAccount: new(fan), FollowItem: []protocol.FollowAddItem{{ToAccount: new("star")}}}))
	}
	for item, err := range c.Follows(ctx, protocol.FollowGetRequest{FromAccount: new("star"), FollowType: new(protocol.FollowListFollowers), WantNum: 1}) {
		fmt.Println("follower", must(item, err).ToAccount)
	}
	must(c.AccountDelete(ctx, &protocol.AccountDeleteRequest{DeleteItem: []protocol.UserIDItem{{UserID: new("star")}}}))
	for _, w := range must(srv.Delivered()) {
		fmt.Println(w.Command, string(w.Body))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
