// Command on-after-delete-subscriber is the deployable receiver of OfficialAccount.CallbackAfterDeleteSubscriber.
package main

import (
	onafterdeletesubscriber "github.com/chatfollow/chatfollow/functions/on-after-delete-subscriber"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() {
	platform.ServeHTTP(receiver.Function(onafterdeletesubscriber.Command, receiver.Handlers{}))
}
