// Command on-after-follow-add is the deployable receiver of Follow.CallbackAfterFollowAdd.
package main

import (
	onafterfollowadd "github.com/chatfollow/chatfollow/functions/on-after-follow-add"
	"github.com/chatfollow/chatfollow/shared/platform"
	"github.com/chatfollow/chatfollow/shared/receiver"
)

func main() { platform.ServeHTTP(receiver.Function(onafterfollowadd.Command, receiver.Handlers{})) }
