// Command on-after-add-subscriber is the deployable receiver of OfficialAccount.CallbackAfterAddSubscriber, on RECEIVER_* variables only.
package main

import (
	onafteraddsubscriber "github.com/chatfollow/chatfollow/functions/on-after-add-subscriber"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onafteraddsubscriber.Command, receiver.Handlers{}) }
