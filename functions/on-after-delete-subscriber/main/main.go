// Command on-after-delete-subscriber is the deployable receiver of OfficialAccount.CallbackAfterDeleteSubscriber, on RECEIVER_* variables only.
package main

import (
	onafterdeletesubscriber "github.com/chatfollow/chatfollow/functions/on-after-delete-subscriber"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onafterdeletesubscriber.Command, receiver.Handlers{}) }
