// Command on-after-add-subscriber is the deployable receiver of OfficialAccount.CallbackAfterAddSubscriber.
package main

import (
	onafteraddsubscriber "github.com/chatfollow/chatfollow/functions/on-after-add-subscriber"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() { platform.ServeHTTP(receiver.Function(onafteraddsubscriber.Command, receiver.Handlers{})) }
