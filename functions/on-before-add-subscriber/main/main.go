// Command on-before-add-subscriber is the deployable receiver of OfficialAccount.CallbackBeforeAddSubscriber.
package main

import (
	onbeforeaddsubscriber "github.com/chatfollow/chatfollow/functions/on-before-add-subscriber"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() {
	platform.ServeHTTP(receiver.Function(onbeforeaddsubscriber.Command, receiver.Handlers{}))
}
