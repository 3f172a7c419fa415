package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/chatfollow/chatfollow/chatfollowtest"
	"github.com/chatfollow/chatfollow/client"
	"github.com/chatfollow/chatfollow/shared/protocol"
)

// A client for Tencent's domain looks the same with BaseURL "https://adminapisgp.im.qcloud.com"
// and the app's own SDKAppID, administrator and key; here it calls the in-process server.
func Example() {
	srv, err := chatfollowtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := client.New(client.Config{BaseURL: srv.URL, SDKAppID: srv.Config.SDKAppID,
		Identifier: srv.Config.Identifier, SecretKey: srv.Config.SecretKey})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.MultiAccountImport(ctx, &protocol.MultiAccountImportRequest{Accounts: []string{"ann", "bob"}}); err != nil {
		log.Fatal(err)
	}
	add, err := c.FollowAdd(ctx, &protocol.FollowAddRequest{FromAccount: new("ann"),
		FollowItem: []protocol.FollowAddItem{{ToAccount: new("bob")}, {ToAccount: new("nobody")}}})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range add.ResultItem {
		fmt.Printf("%s %d %q\n", r.ToAccount, r.ResultCode, r.ResultInfo)
	}
	_, err = c.FollowAdd(ctx, &protocol.FollowAddRequest{FromAccount: new("nobody"),
		FollowItem: []protocol.FollowAddItem{{ToAccount: new("bob")}}})
	var apiErr *client.Error
	if errors.As(err, &apiErr) {
		fmt.Println("refused:", apiErr.ErrorCode)
	}
	// Output:
	// bob 0 ""
	// nobody 30003 "To_Account is not imported"
	// refused: 30003
}
