// Command on-after-follow-add is the deployable receiver of Follow.CallbackAfterFollowAdd, on RECEIVER_* variables only.
package main

import (
	onafterfollowadd "github.com/chatfollow/chatfollow/functions/on-after-follow-add"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
)

func main() { function.Serve(onafterfollowadd.Command, receiver.Handlers{}) }
