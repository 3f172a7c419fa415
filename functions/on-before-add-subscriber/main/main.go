// Command on-before-add-subscriber is the deployable receiver of OfficialAccount.CallbackBeforeAddSubscriber, on RECEIVER_* variables only.
package main

import (
	onbeforeaddsubscriber "github.com/chatfollow/chatfollow/functions/on-before-add-subscriber"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onbeforeaddsubscriber.Command, receiver.Handlers{}) }
